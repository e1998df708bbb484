import { SfsTokenReadModel } from '../../../src/sfs-auth/admin/token-read.model';
import { at, useHarness, driveTo, seedToken } from '../persistence/persistence-harness';

/** The tenant summary of the admin read model against seeded rows on real PostgreSQL. */
describe('SfsTokenReadModel: tenant summary', () => {
  const h = useHarness('read_figures');
  let reads: SfsTokenReadModel;
  const t = 'tenant-f';
  const other = 'tenant-other';
  beforeAll(async () => {
    reads = new SfsTokenReadModel(h.dataSource);
  });

  /** An active token of a new subject, due for refresh at `refreshAt` seconds. */
  let subjects = 0;
  const seed = (tenantId: string, refreshAt = 3300) =>
    seedToken(h, tenantId, { refreshIn: refreshAt }, `u${++subjects}`);

  describe('tenantSummary', () => {
    it("counts every status and the outbox of one tenant, not another's", async () => {
      await seed(t, 3300);
      await seed(t, 1000);
      await seed(t, 2000); // due exactly at `now`: not yet overdue
      await driveTo(h, await seed(t), 'revoking', 100);
      await driveTo(h, await seed(t), 'revoking', 40);
      await driveTo(h, await seed(t), 'revoke_failed', 10);
      await driveTo(h, await seed(t), 'revoked', 20);
      await driveTo(h, await seed(t), 'expired');
      await driveTo(h, await seed(t), 'failed');
      // The other tenant is earlier and busier on every figure.
      await seed(other, 500);
      await driveTo(h, await seed(other), 'revoking', 1);
      await driveTo(h, await seed(other), 'revoke_failed', 1);

      expect(await reads.tenantSummary(t, at(2000))).toEqual({
        counts: { active: 3, revoking: 3, revoked: 1, expired: 1, failed: 1 },
        nextRefreshAt: at(1000),
        overdueRefreshes: 1,
        pendingRevocations: 2,
        failedRevocations: 1,
        oldestPendingRevocationAt: at(40),
        dataKey: null,
      });
    });

    it('answers zeros and nulls for a tenant without rows', async () => {
      await seed(other, 500);
      expect(await reads.tenantSummary(t, at(2000))).toEqual({
        counts: { active: 0, revoking: 0, revoked: 0, expired: 0, failed: 0 },
        nextRefreshAt: null,
        overdueRefreshes: 0,
        pendingRevocations: 0,
        failedRevocations: 0,
        oldestPendingRevocationAt: null,
        dataKey: null,
      });
    });

    it("shows the tenant's data key version and age, never the key, and not another's", async () => {
      const created = new Date('2026-11-01T00:00:00Z');
      for (const [tenantId, version] of [
        ['tenant-k', 3],
        ['tenant-k2', 9],
      ] as const) {
        await h.dataSource.query(
          `INSERT INTO sfs_tenant_key (tenant_id, data_key_id, wrapped_key, wrapping_key_id, version, created_at)
           VALUES ($1, $2, '\\x00', 'k1', $3, $4)`,
          [tenantId, `dek-${tenantId}`, version, created],
        );
      }
      const summary = await reads.tenantSummary('tenant-k', at(2000));
      expect(summary.dataKey).toEqual({ version: 3, createdAt: created });
      expect(JSON.stringify(summary)).not.toMatch(/dek-|wrapped/);
    });
  });
});
