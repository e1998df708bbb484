import { DataSource } from 'typeorm';
import { SFS_AUTH_MIGRATIONS } from '../../../migrations';
import { SFS_AUTH_ENTITIES } from '../../../src/sfs-auth/persistence/entities';
import { SfsTokenReadModel } from '../../../src/sfs-auth/admin/token-read.model';
import { SfsTenantCountsStore } from '../../../src/sfs-auth/tenant-counts/tenant-counts.store';
import { createTestDatabase } from '../../support/test-database';
import {
  at,
  driveTo,
  newRecord,
  seedToken,
  useHarness,
  type PersistenceHarness,
} from '../persistence/persistence-harness';

type Counts = Record<string, Record<string, number>>;
/** Raw SQL on some database of the module. */
type Sql = Pick<PersistenceHarness, 'sql'>;

/** What the table holds, counted the slow way: tenant → status → rows. */
async function countedByScan(h: Sql): Promise<Counts> {
  const rows = await h.sql<{ tenant_id: string; status: string; n: number }>(
    `SELECT tenant_id, status, count(*)::int AS n FROM sfs_client_token GROUP BY 1, 2`,
  );
  return group(rows);
}

/** What the triggers kept: counts plus deltas, zeros left out. */
async function keptCounts(h: Sql): Promise<Counts> {
  const rows = await h.sql<{ tenant_id: string; status: string; n: number }>(
    `SELECT tenant_id, status, sum(n)::int AS n FROM (
       SELECT tenant_id, status, n FROM sfs_tenant_token_count
       UNION ALL SELECT tenant_id, status, n FROM sfs_tenant_token_count_delta) c
     GROUP BY 1, 2 HAVING sum(n) <> 0`,
  );
  return group(rows);
}

function group(rows: { tenant_id: string; status: string; n: number }[]): Counts {
  const counts: Counts = {};
  for (const r of rows) (counts[r.tenant_id] ??= {})[r.status] = r.n;
  return counts;
}

const deltaRows = async (h: Sql) =>
  (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM sfs_tenant_token_count_delta`))[0].n;

/** Inserts `n` active rows of `tenantId` in one statement (a batch, as the group commit writes). */
async function insertBatch(h: Sql, tenantId: string, n: number, tag: string) {
  const records = Array.from({ length: n }, (_, i) =>
    newRecord({ tenantId, subjectId: `${tag}-${i}` }),
  );
  await h.sql(
    `INSERT INTO sfs_client_token (id, tenant_id, client_key, subject_id, status, token_ciphertext,
       token_key_id, fingerprint, issued_at, expires_at, refresh_at, session_started_at)
     SELECT id, $2, 'client-a', subject, 'active', '\\x00', 'k1', fp, $3, $4, $5, $3
     FROM unnest($1::uuid[], $6::varchar[], $7::varchar[]) AS r(id, subject, fp)`,
    [
      records.map((r) => r.id),
      tenantId,
      at(0),
      at(3600),
      at(3300),
      records.map((r) => r.subjectId),
      records.map((r) => r.fingerprint),
    ],
  );
}

/** The triggers of migrations/1764800000000-AddSfsAuthTenantTokenCounts.ts and the fold. */
describe('tenant token counts', () => {
  const h = useHarness('tenant_counts');
  let fold: SfsTenantCountsStore;
  let reads: SfsTokenReadModel;
  beforeAll(() => {
    fold = new SfsTenantCountsStore(h.dataSource);
    reads = new SfsTokenReadModel(h.dataSource);
  });

  it('follow every kind of write: batches, status changes, other updates, deletes', async () => {
    await insertBatch(h, 't1', 30, 'a');
    await insertBatch(h, 't2', 5, 'b');
    for (const state of ['revoking', 'revoked', 'expired', 'failed'] as const) {
      await driveTo(h, await seedToken(h, 't1', {}, `one-${state}`), state);
    }
    // One statement over two tenants and two target statuses.
    await h.sql(
      `UPDATE sfs_client_token SET status = CASE WHEN tenant_id = 't1' THEN 'expired' ELSE 'revoked' END
       WHERE subject_id LIKE 'a-1%' OR subject_id = 'b-0'`,
    );
    await h.sql(`UPDATE sfs_client_token SET last_used_at = now()`); // no status changes
    await h.sql(`DELETE FROM sfs_client_token WHERE subject_id IN ('a-2', 'a-3', 'b-1')`);
    expect(await keptCounts(h)).toEqual(await countedByScan(h));
    expect((await countedByScan(h)).t1).toEqual({
      active: 17,
      expired: 12,
      revoking: 1,
      revoked: 1,
      failed: 1,
    });
  });

  it('add one delta row per tenant and status a statement changed, none for other updates', async () => {
    await insertBatch(h, 't1', 50, 'a');
    expect(await deltaRows(h)).toBe(1);
    await h.sql(`UPDATE sfs_client_token SET last_used_at = now(), attempts = attempts + 1`);
    expect(await deltaRows(h)).toBe(1);
    await h.sql(`UPDATE sfs_client_token SET status = 'revoked'`);
    expect(await deltaRows(h)).toBe(3); // active -50, revoked +50
  });

  it('answer the admin summary before and after the fold alike, and the fold empties the deltas', async () => {
    await insertBatch(h, 't1', 20, 'a');
    await driveTo(h, await seedToken(h, 't1', {}, 'r'), 'revoking');
    await insertBatch(h, 't2', 3, 'b');
    const before = await reads.tenantSummary('t1', at(10));
    expect(before.counts).toEqual({ active: 20, revoking: 1, revoked: 0, expired: 0, failed: 0 });
    expect(await fold.foldDeltas(1000)).toBeGreaterThan(0);
    expect(await deltaRows(h)).toBe(0);
    expect(await reads.tenantSummary('t1', at(10))).toEqual(before);
    expect(await fold.foldDeltas(1000)).toBe(0);
  });

  it('folded by two instances at once, add every delta exactly once', async () => {
    for (let i = 0; i < 40; i++) await insertBatch(h, `t${i % 4}`, 3, `s${i}`);
    await h.sql(`UPDATE sfs_client_token SET status = 'revoked' WHERE subject_id LIKE '%-0'`);
    const expected = await countedByScan(h);
    const other = new SfsTenantCountsStore(h.dataSource);
    const drain = async (store: SfsTenantCountsStore) => {
      while ((await store.foldDeltas(3)) > 0);
    };
    await Promise.all([drain(fold), drain(other)]);
    expect(await deltaRows(h)).toBe(0);
    expect(await keptCounts(h)).toEqual(expected);
  });

  it('reset with TRUNCATE', async () => {
    await insertBatch(h, 't1', 4, 'a');
    await fold.foldDeltas(1000);
    await h.sql(`TRUNCATE sfs_token_revocation, sfs_token_event, sfs_client_token`);
    expect(await keptCounts(h)).toEqual({});
    await insertBatch(h, 't1', 2, 'b');
    expect(await keptCounts(h)).toEqual({ t1: { active: 2 } });
  });
});

describe('migration 1764800000000: counts the rows already there', () => {
  it('backfills the counts of a database written by the previous release', async () => {
    const db = await createTestDatabase('counts_backfill');
    const open = (migrations: typeof SFS_AUTH_MIGRATIONS) =>
      new DataSource({
        type: 'postgres',
        url: db.url,
        entities: SFS_AUTH_ENTITIES,
        migrations,
        installExtensions: false,
      }).initialize();
    const previous = await open(SFS_AUTH_MIGRATIONS.slice(0, -1));
    try {
      await previous.runMigrations();
      const h: Sql = { sql: (text, params = []) => previous.query(text, params) };
      await insertBatch(h, 'old-1', 7, 'a');
      await insertBatch(h, 'old-2', 2, 'b');
      await h.sql(`UPDATE sfs_client_token SET status = 'revoked' WHERE subject_id = 'a-0'`);
    } finally {
      await previous.destroy();
    }
    const current = await open(SFS_AUTH_MIGRATIONS);
    try {
      await current.runMigrations();
      const h: Sql = { sql: (text, params = []) => current.query(text, params) };
      expect(await keptCounts(h)).toEqual({
        'old-1': { active: 6, revoked: 1 },
        'old-2': { active: 2 },
      });
      await insertBatch(h, 'old-2', 1, 'c');
      expect(await keptCounts(h)).toEqual(await countedByScan(h));
    } finally {
      await current.destroy();
      await db.drop();
    }
  });
});
