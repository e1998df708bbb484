import {
  at,
  useHarness,
  eventsOf as trailOf,
  seedToken,
  eventFor,
  newRecord,
} from '../persistence/persistence-harness';

/** Contract of SfsRefreshQueue (claim, then compare-and-set). */
describe('SfsRefreshQueue', () => {
  const h = useHarness('store_refresh');
  let tenant = 0;
  let t: string;
  beforeEach(async () => {
    t = `tenant-${++tenant}`;
  });

  const seed = (options: Parameters<typeof newRecord>[1] = {}, subjectId?: string) =>
    seedToken(h, t, options, subjectId);
  const eventsOf = (tokenId: string) => trailOf(h, tokenId);

  describe('claimDueRefreshes', () => {
    it('claims due, free active rows in refresh order, stamps the lease and bumps the version', async () => {
      const late = await seed({ refreshIn: 200 });
      const early = await seed({ refreshIn: 100 }, 'u1');
      await seed({ refreshIn: 900 }, 'u2');
      const failedLater = await seed({ refreshIn: 50 }, 'u3');
      await h.refresh.recordRefreshFailure(
        failedLater.id,
        0,
        { error: 'x', nextAttemptAt: at(1000), permanent: false },
        eventFor(failedLater, 'refresh_failed'),
      );
      const claimed = await h.refresh.claimDueRefreshes('worker-1', at(300), 30_000, 10);
      expect(claimed.map((r) => r.id)).toEqual([early.id, late.id]);
      expect(claimed[0]).toMatchObject({
        leaseOwner: 'worker-1',
        leaseExpiresAt: at(330),
        version: 1,
      });
      expect(await h.refresh.claimDueRefreshes('worker-2', at(300), 30_000, 10)).toEqual([]);
    });

    it('respects the limit', async () => {
      for (let i = 0; i < 5; i++) await seed({ refreshIn: 10 }, `s${i}`);
      expect(await h.refresh.claimDueRefreshes('w', at(100), 1000, 3)).toHaveLength(3);
    });
  });

  describe('recordRefreshFailure', () => {
    it('counts a transient failure, clips the error, releases the lease, stays active', async () => {
      await seed({ refreshIn: 10 });
      const [c] = await h.refresh.claimDueRefreshes('w', at(20), 1000, 10);
      const failure = { error: 'e'.repeat(900), nextAttemptAt: at(80), permanent: false };
      expect(
        await h.refresh.recordRefreshFailure(
          c.id,
          c.version,
          failure,
          eventFor(c, 'refresh_failed', 20),
        ),
      ).toBe(true);
      const row = await h.serving.findById(t, c.id);
      expect(row).toMatchObject({
        status: 'active',
        attempts: 1,
        nextAttemptAt: at(80),
        leaseOwner: null,
        leaseExpiresAt: null,
        version: 2,
      });
      expect(row?.lastError).toHaveLength(500);
    });

    it('a permanent failure marks the token failed', async () => {
      const r = await seed();
      const failure = { error: 'rejected', nextAttemptAt: at(80), permanent: true };
      expect(
        await h.refresh.recordRefreshFailure(
          r.id,
          r.version,
          failure,
          eventFor(r, 'refresh_failed'),
        ),
      ).toBe(true);
      expect(await h.serving.findById(t, r.id)).toMatchObject({
        status: 'failed',
        nextAttemptAt: null,
        lastError: 'rejected',
      });
    });
  });

  describe('postponeRefresh', () => {
    it('moves refresh_at and releases the lease; a null event writes none', async () => {
      await seed({ refreshIn: 10 });
      const [c] = await h.refresh.claimDueRefreshes('w', at(20), 1000, 10);
      expect(await h.refresh.postponeRefresh(c.id, c.version, at(3000), null)).toBe(true);
      expect(await h.serving.findById(t, c.id)).toMatchObject({
        refreshAt: at(3000),
        leaseOwner: null,
        version: 2,
      });
      expect((await eventsOf(c.id)).map((e) => e.type)).toEqual(['issued']);
    });
  });

  describe('markExpired', () => {
    it('expires an active token and wipes its material; not twice', async () => {
      const r = await seed();
      expect(await h.refresh.markExpired(r.id, r.version, eventFor(r, 'expired'))).toBe(true);
      expect(await h.serving.findById(t, r.id)).toMatchObject({
        status: 'expired',
        sealed: null,
        replacedBy: null,
      });
      expect(await h.refresh.markExpired(r.id, r.version + 1, eventFor(r, 'expired'))).toBe(false);
    });
  });
});
