import { DataSource } from 'typeorm';
import { SFS_AUTH_MIGRATIONS } from '../../../migrations';
import {
  useHarness,
  newRecord,
  openDataSource,
  type PersistenceHarness,
  SFS_MODULE_TABLES,
} from './persistence-harness';

const TABLES = SFS_MODULE_TABLES;

async function insertRaw(h: PersistenceHarness, subjectId: string | null, status: string) {
  const r = newRecord({ tenantId: 't1', subjectId });
  await h.sql(
    `INSERT INTO sfs_client_token (id, tenant_id, client_key, subject_id, status, token_ciphertext,
       token_key_id, fingerprint, issued_at, expires_at, refresh_at, session_started_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $9)`,
    [
      r.id,
      r.tenantId,
      r.clientKey,
      subjectId,
      status,
      r.sealed.ciphertext,
      r.sealed.keyId,
      r.fingerprint,
      r.issuedAt,
      r.expiresAt,
      r.refreshAt,
    ],
  );
}

async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((q) => q.query);
}

describe('migrations', () => {
  const h = useHarness('schema', { truncateEachTest: false });

  describe('up', () => {
    it('creates the four tables with no extension installed', async () => {
      const tables = await h.sql<{ tablename: string }>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'sfs_%' ORDER BY 1`,
      );
      expect(tables.map((t) => t.tablename)).toEqual(TABLES);
      const ext = await h.sql<{ extname: string }>(`SELECT extname FROM pg_extension`);
      expect(ext.map((e) => e.extname)).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(uuid-ossp|pgcrypto)$/)]),
      );
    });

    it('creates the specified indexes', async () => {
      const rows = await h.sql<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'sfs_%' ORDER BY 1`,
      );
      const defs = Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]));
      expect(defs.ux_sfs_client_token_active_key).toMatch(
        /UNIQUE INDEX .* \(tenant_id, client_key, COALESCE\(subject_id, ''::character varying\)\) WHERE \(\(status\)::text = 'active'::text\)/,
      );
      expect(defs.ix_sfs_client_token_refresh_due).toMatch(/\(refresh_at\) WHERE/);
      expect(defs.ix_sfs_client_token_tenant_created).toMatch(
        /\(tenant_id, created_at DESC, id DESC\)/,
      );
      expect(defs.ix_sfs_client_token_tenant_subject).toMatch(
        /\(tenant_id, subject_id, client_key\)/,
      );
      expect(defs.ix_sfs_token_revocation_due).toMatch(/\(next_attempt_at\) WHERE/);
      expect(defs.ix_sfs_token_event_tenant).toMatch(/\(tenant_id, id DESC\)/);
      expect(defs.ix_sfs_token_event_token).toMatch(/\(token_id, id DESC\)/);
      expect(defs.ix_sfs_client_token_dead_created).toMatch(
        /\(created_at\) WHERE \(\(status\)::text = ANY .*'revoked'.*'expired'.*'failed'/,
      );
      expect(defs.ix_sfs_token_event_at).toMatch(/\(at\)$/);
      expect(defs.pk_sfs_token_change).toMatch(/UNIQUE INDEX .* \(seq\)$/);
      expect(defs.ix_sfs_token_change_at).toMatch(/\(at\)$/);
      expect(defs.ix_sfs_client_token_ring_sealed).toMatch(
        /\(id\) WHERE \(\(token_key_id\)::text !~~ 'dek:%'::text\)/,
      );
      expect(defs.pk_sfs_tenant_key).toMatch(/UNIQUE INDEX .* \(tenant_id\)$/);
    });

    it('allows one active row per key, NULL subject included, and any number of dead ones', async () => {
      for (const subject of [null, 'user-1']) {
        await insertRaw(h, subject, 'active');
        await expect(insertRaw(h, subject, 'active')).rejects.toMatchObject({
          driverError: { code: '23505', constraint: 'ux_sfs_client_token_active_key' },
        });
        await insertRaw(h, subject, 'revoked');
        await insertRaw(h, subject, 'revoked');
        await insertRaw(h, subject, 'expired');
      }
    });

    it('rejects an unknown status and half-sealed material', async () => {
      await expect(insertRaw(h, 'user-2', 'stolen')).rejects.toMatchObject({
        driverError: { code: '23514', constraint: 'ck_sfs_client_token_status' },
      });
      await insertRaw(h, 'user-3', 'active');
      await expect(
        h.sql(`UPDATE sfs_client_token SET token_key_id = NULL WHERE subject_id = 'user-3'`),
      ).rejects.toMatchObject({ driverError: { constraint: 'ck_sfs_client_token_sealed' } });
    });
  });

  describe('entities', () => {
    it('match the migrated schema: the schema builder has nothing to do', async () => {
      expect(await pendingSchemaChanges(h.dataSource)).toEqual([]);
    });

    it('(the check is live: a missing index shows up as a pending change)', async () => {
      await h.sql(`DROP INDEX ix_sfs_client_token_tenant_subject`);
      const pending = await pendingSchemaChanges(h.dataSource);
      await h.sql(
        `CREATE INDEX ix_sfs_client_token_tenant_subject ON sfs_client_token (tenant_id, subject_id, client_key)`,
      );
      expect(pending.join('\n')).toContain('ix_sfs_client_token_tenant_subject');
    });
  });

  describe('down', () => {
    it('drops every table; up again restores them', async () => {
      const ds = await openDataSource(h.db.url);
      try {
        for (let i = 0; i < SFS_AUTH_MIGRATIONS.length; i++) await ds.undoLastMigration();
        const left = await ds.query(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'sfs_%'`,
        );
        expect(left).toEqual([]);
        await ds.runMigrations();
        expect(await pendingSchemaChanges(ds)).toEqual([]);
      } finally {
        await ds.destroy();
      }
    });
  });
});
