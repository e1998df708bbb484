import type { DataSource } from 'typeorm';
import {
  at,
  createHarness,
  eventFor,
  eventually,
  newRecord,
  openDataSource,
  seedTokenRow,
  truncate,
  type PersistenceHarness,
  storesOn,
  type SfsTestStores,
} from './persistence-harness';

/** Two instances (two DataSources, two pools) working on the same rows. */
describe('Token stores: two instances racing', () => {
  let h: PersistenceHarness;
  let otherDataSource: DataSource;
  let a: SfsTestStores;
  let b: SfsTestStores;
  beforeAll(async () => {
    h = await createHarness('store_race');
    otherDataSource = await openDataSource(h.db.url);
    a = h;
    b = storesOn(otherDataSource);
  });
  afterAll(async () => {
    await otherDataSource.destroy();
    await h.close();
  });
  beforeEach(() => truncate(h));

  const waitingRowLocks = async () =>
    Number(
      (
        await h.sql<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        )
      )[0].n,
    );

  it('claims every one of 200 due rows exactly once across two instances (x20 rounds)', async () => {
    const rows = Array.from({ length: 200 }, (_, i) =>
      newRecord({ tenantId: `t${i % 7}`, subjectId: `s${i}` }, { refreshIn: 10 }),
    );
    for (let i = 0; i < rows.length; i += 50) {
      await Promise.all(rows.slice(i, i + 50).map((r) => seedTokenRow(h.dataSource, r, [])));
    }
    const drain = async (store: SfsTestStores, owner: string, now: Date) => {
      const mine: string[] = [];
      for (;;) {
        const batch = await store.refresh.claimDueRefreshes(owner, now, 60_000, 7);
        if (batch.length === 0) return mine;
        mine.push(...batch.map((r) => r.id));
      }
    };
    for (let round = 0; round < 20; round++) {
      // Each round's `now` is past the previous round's leases, so every row is due again.
      const now = at(100 + round * 100);
      const claims = await Promise.all([
        drain(a, 'a1', now),
        drain(a, 'a2', now),
        drain(b, 'b1', now),
        drain(b, 'b2', now),
      ]);
      const all = claims.flat();
      expect(all).toHaveLength(200);
      expect(new Set(all).size).toBe(200);
      await h.sql(`UPDATE sfs_client_token SET refresh_at = $1`, [at(0)]);
    }
    const versions = await h.sql<{ version: number }>(
      `SELECT DISTINCT version FROM sfs_client_token`,
    );
    expect(versions).toEqual([{ version: 20 }]);
  });

  it('an expired lease is reclaimable by the other instance, a live one is not', async () => {
    const r = newRecord({ tenantId: 't' }, { refreshIn: 10 });
    await seedTokenRow(h.dataSource, r, []);
    const [first] = await a.refresh.claimDueRefreshes('a', at(20), 30_000, 10);
    expect(await b.refresh.claimDueRefreshes('b', at(49), 30_000, 10)).toEqual([]);
    const [second] = await b.refresh.claimDueRefreshes('b', at(50), 30_000, 10);
    expect(second).toMatchObject({ id: r.id, leaseOwner: 'b', version: first.version + 1 });
    // The instance that lost its lease can no longer write.
    expect(await a.refresh.postponeRefresh(r.id, first.version, at(999), null)).toBe(false);
  });

  it('a key lease serialises the same key across instances: the second sees the first record', async () => {
    const key = { tenantId: 't', clientKey: 'client-a', subjectId: 'u1' };
    const first = await a.leases.claimKey(key, 'a', at(1), 30_000);
    expect(first.lease).not.toBeNull();
    expect(first.current).toBeNull();
    // No transaction stays open while the holder would be waiting on SFS.
    const open = await h.sql(
      "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
    );
    expect(open).toEqual([]);
    const waiting = await b.leases.claimKey(key, 'b', at(2), 30_000);
    expect(waiting).toMatchObject({ lease: null, current: null });
    const record = newRecord(key);
    const lost = { record: { ...record, status: 'revoking' as const }, events: [] };
    expect(
      await a.leases.recordMint(
        first.lease!,
        { record, events: [eventFor(record, 'issued')] },
        lost,
      ),
    ).toBe('stored');
    const after = await b.leases.claimKey(key, 'b', at(3), 30_000);
    expect(after.lease).toMatchObject({ owner: 'b' });
    expect(BigInt(after.lease!.fence)).toBeGreaterThan(BigInt(first.lease!.fence));
    expect(after.current?.id).toBe(record.id);
  });

  it('a revocation waiting on a refresh in flight also revokes the replacement it commits', async () => {
    const old = newRecord({ tenantId: 't', subjectId: 'u1' });
    await seedTokenRow(h.dataSource, old, []);
    const next = newRecord({ tenantId: 't', subjectId: 'u1' }, { issued: 10 });
    const runner = h.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // A replacement recorded on instance A, paused before commit.
      await runner.query(
        `UPDATE sfs_client_token SET status = 'expired', version = version + 1 WHERE id = $1`,
        [old.id],
      );
      await runner.query(
        `INSERT INTO sfs_client_token (id, tenant_id, client_key, subject_id, status, token_ciphertext, token_key_id,
           fingerprint, issued_at, expires_at, refresh_at, session_started_at)
         VALUES ($1, 't', 'client-a', 'u1', 'active', $2, 'k1', $3, $4, $5, $6, $4)`,
        [
          next.id,
          next.sealed.ciphertext,
          next.fingerprint,
          next.issuedAt,
          next.expiresAt,
          next.refreshAt,
        ],
      );
      await runner.query(`UPDATE sfs_client_token SET replaced_by = $2 WHERE id = $1`, [
        old.id,
        next.id,
      ]);
      const revoked = b.outbox.requestRevocation(
        { tenantId: 't', subjectId: 'u1' },
        'logout',
        'host',
        at(20),
      );
      await eventually(
        async () => (await waitingRowLocks()) === 1,
        'revocation to wait on the row',
      );
      await runner.commitTransaction();
      expect(await revoked).toEqual([old.id, next.id].sort());
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    expect((await a.serving.findById('t', next.id))?.status).toBe('revoking');
  });
});
