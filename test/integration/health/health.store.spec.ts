import { SfsHealthStore } from '../../../src/sfs-auth/health/health.store';
import { at, useHarness, driveTo, seedToken } from '../persistence/persistence-harness';

/** The health gauges (all tenants) against seeded rows on real PostgreSQL. */
describe('SfsHealthStore', () => {
  const h = useHarness('health_figures');
  let store: SfsHealthStore;
  const t = 'tenant-f';
  const other = 'tenant-other';
  beforeAll(async () => {
    store = new SfsHealthStore(h.dataSource);
  });

  /** An active token of a new subject, due for refresh at `refreshAt` seconds. */
  let subjects = 0;
  const seed = (tenantId: string, refreshAt = 3300) =>
    seedToken(h, tenantId, { refreshIn: refreshAt }, `u${++subjects}`);

  describe('gauges', () => {
    it('adds up every tenant', async () => {
      await seed(t, 1000); // due at `now`: not overdue
      await seed(other, 500);
      await driveTo(h, await seed(t), 'failed');
      await driveTo(h, await seed(other), 'failed');
      await driveTo(h, await seed(t), 'revoking', 300);
      await driveTo(h, await seed(other), 'revoking', 200);
      await driveTo(h, await seed(other), 'revoke_failed', 100);
      await driveTo(h, await seed(t), 'revoked', 50);

      expect(await store.gauges(at(1000), 0)).toEqual({
        overdueRefreshes: 1,
        pendingRevocations: 2,
        oldestPendingRevocationAt: at(200),
        failedRevocations: 1,
        failedTokens: 2,
        activeTokens: 2,
      });
    });

    it.each([
      ['exactly the threshold', 60_000, 0],
      ['1 ms beyond the threshold', 60_001, 1],
      ['not yet due', -1, 0],
    ])('%s: %d ms past refresh_at is %d overdue', async (_, pastRefreshMs, overdue) => {
      await seed(t, 1000);
      await driveTo(h, await seed(t, 0), 'revoking', 0); // not active: never overdue
      const now = new Date(at(1000).getTime() + pastRefreshMs);
      expect((await store.gauges(now, 60_000)).overdueRefreshes).toBe(overdue);
    });
  });
});
