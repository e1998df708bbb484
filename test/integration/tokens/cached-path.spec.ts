import { SfsInvalidInputError } from '../../../src';
import { useTokenFixture } from '../../support/token-fixture';

/** The cached fast path of getClientToken: same answers and checks as the full path. */
describe('getClientToken from the cache', () => {
  // A cache of 500: the 1,000 stamps of the early-flush test come from cached and uncached serves.
  const { f, a } = useTokenFixture('cached_path', 1800, { cache: { maxEntries: 500 } });

  it('never answers an invalid request from a cached entry with the same key', async () => {
    const service = await a.tokens.getClientToken({ tenantId: 't-cache', clientKey: 'c' });
    // An empty subject would build the service token's cache key; it is refused, not served.
    await expect(
      a.tokens.getClientToken({ tenantId: 't-cache', clientKey: 'c', subjectId: '' }),
    ).rejects.toBeInstanceOf(SfsInvalidInputError);
    const odd = { tenantId: ['t-cache'], clientKey: 'c' } as unknown as {
      tenantId: string;
      clientKey: string;
    };
    await expect(a.tokens.getClientToken(odd)).rejects.toBeInstanceOf(SfsInvalidInputError);
    await expect(
      a.tokens.getClientToken(null as unknown as { tenantId: string; clientKey: string }),
    ).rejects.toBeInstanceOf(SfsInvalidInputError);
    const again = await a.tokens.getClientToken({
      tenantId: 't-cache',
      clientKey: 'c',
      subjectId: null,
    });
    expect(again).toEqual(service);
  });

  it('records the last cached use in last_used_at at the next flush', async () => {
    const key = { tenantId: 't-cache', clientKey: 'c', subjectId: 'u1' };
    const token = await a.tokens.getClientToken(key);
    f.clock.advance(1_234);
    await a.tokens.getClientToken(key);
    f.clock.advance(1_000);
    const last = f.clock.now();
    await a.tokens.getClientToken(key);
    await a.refresh.runOnce();
    const [row] = await f.rows<{ last_used_at: Date }>(
      'SELECT last_used_at FROM sfs_client_token WHERE id = $1',
      [token.tokenId],
    );
    expect(row.last_used_at.getTime()).toBe(last);
  });

  it('flushes last_used_at early once 1,000 tokens wait for it, without a sweep', async () => {
    const keys = Array.from({ length: 1_000 }, (_, i) => ({
      tenantId: 't-many',
      clientKey: 'c',
      subjectId: `u${i}`,
    }));
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => a.tokens.getClientToken(key)));
    }
    await a.refresh.runOnce(); // writes the stamps of the mints: the tracker starts empty
    f.clock.advance(5_000);
    const at = f.clock.now();
    for (const key of keys) await a.tokens.getClientToken(key);
    const stamped = async () => {
      const [row] = await f.rows<{ n: number }>(
        `SELECT count(*)::int AS n FROM sfs_client_token
         WHERE tenant_id = 't-many' AND last_used_at = $1`,
        [new Date(at)],
      );
      return row.n;
    };
    for (let tries = 0; tries < 100 && (await stamped()) < keys.length; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await stamped()).toBe(keys.length);
  });

  it('stops serving a cached token once it is within the refresh lead', async () => {
    const key = { tenantId: 't-cache', clientKey: 'c', subjectId: 'u2' };
    const first = await a.tokens.getClientToken(key);
    f.clock.advance(1_600_000); // 1800 s tokens, 300 s lead (+ jitter): no longer servable
    const second = await a.tokens.getClientToken(key);
    expect(second.tokenId).not.toBe(first.tokenId);
    expect(second.expiresAt.getTime() - f.clock.now()).toBeGreaterThan(300_000);
  });
});
