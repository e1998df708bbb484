import { TypeOrmSfsTokenReadModel } from '../../../src/sfs-auth/persistence/typeorm-token-read.model';
import {
  at,
  createHarness,
  driveTo,
  openDataSource,
  seedToken,
  truncate,
  type PersistenceHarness,
} from './persistence-harness';

/** Summary and health figures of the read model against seeded rows on real PostgreSQL. */
describe('TypeOrmSfsTokenReadModel: figures', () => {
  let h: PersistenceHarness;
  let reads: TypeOrmSfsTokenReadModel;
  const t = 'tenant-f';
  const other = 'tenant-other';
  beforeAll(async () => {
    h = await createHarness('read_figures');
    reads = new TypeOrmSfsTokenReadModel(h.dataSource);
  });
  afterAll(() => h.close());
  beforeEach(() => truncate(h));

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
      });
    });
  });

  describe('healthFigures', () => {
    it('adds up every tenant', async () => {
      await seed(t, 1000); // due at `now`: not overdue
      await seed(other, 500);
      await driveTo(h, await seed(t), 'failed');
      await driveTo(h, await seed(other), 'failed');
      await driveTo(h, await seed(t), 'revoking', 300);
      await driveTo(h, await seed(other), 'revoking', 200);
      await driveTo(h, await seed(other), 'revoke_failed', 100);
      await driveTo(h, await seed(t), 'revoked', 50);

      expect(await reads.healthFigures(at(1000), 0)).toEqual({
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
      expect((await reads.healthFigures(now, 60_000)).overdueRefreshes).toBe(overdue);
    });
  });

  describe('ping', () => {
    it('resolves on a live database and rejects once its DataSource is closed', async () => {
      const dataSource = await openDataSource(h.db.url);
      const own = new TypeOrmSfsTokenReadModel(dataSource);
      await expect(own.ping()).resolves.toBeUndefined();
      await dataSource.destroy();
      await expect(own.ping()).rejects.toThrow();
    });
  });
});
