import { TokenFixture, type TestInstance } from '../../support/token-fixture';

const ITERATIONS = 100;
// 100 iterations take about 20 s alone; with the rest of the suite on two cores, up to three times that.
jest.setTimeout(120_000);

// 100 iterations of real round trips: generous on a loaded two-core machine.
jest.setTimeout(180_000);

describe('races (repeated)', () => {
  const f = new TokenFixture();
  let a: TestInstance;
  let b: TestInstance;

  beforeAll(async () => {
    await f.start('races');
    a = await f.addInstance();
    b = await f.addInstance();
  });
  afterAll(() => f.stop());

  it(`logout during a refresh never resurrects a token (${ITERATIONS} iterations)`, async () => {
    for (let i = 0; i < ITERATIONS; i++) {
      const key = { tenantId: 't-race-logout', clientKey: 'c1', subjectId: `s${i}` };
      await a.tokens.getClientToken(key);
      f.clock.advance(1_600_000); // due for refresh, not expired
      await Promise.all([a.refresh.runOnce(), b.tokens.revoke(key, 'logout')]);
      await Promise.all([a.revocation.runOnce(), b.revocation.runOnce()]);
      f.clock.advance(200_000); // every token of this iteration has now expired or been revoked
    }
    const active = await f.rows(
      "SELECT id FROM sfs_client_token WHERE tenant_id = 't-race-logout' AND status = 'active'",
    );
    expect(active).toEqual([]);
    // Every token SFS issued for these subjects is dead at SFS or was never live past its revoke.
    const clientKeyTokens = f.sandbox.issuedTokens('client').filter((t) => t.clientKey === 'c1');
    const revoking = await f.rows(
      "SELECT id FROM sfs_client_token WHERE tenant_id = 't-race-logout' AND status = 'revoking'",
    );
    expect(revoking).toEqual([]);
    expect(clientKeyTokens.filter((t) => t.active)).toEqual([]);
  });

  it(`a refresh after a revoke is a no-op (${ITERATIONS} iterations)`, async () => {
    const creates = () => f.sandbox.calls({ kind: 'client.create' }).length;
    for (let i = 0; i < ITERATIONS; i++) {
      const key = { tenantId: 't-race-after', clientKey: 'c2', subjectId: `s${i}` };
      await a.tokens.getClientToken(key);
      f.clock.advance(1_600_000);
      await b.tokens.revoke(key, 'logout');
      const before = creates();
      const report = await a.refresh.runOnce();
      expect(report.outcomes.filter((o) => o.outcome === 'refreshed')).toEqual([]);
      expect(creates()).toBe(before);
      await a.revocation.runOnce();
      f.clock.advance(200_000);
    }
  });

  it(`two instances never refresh the same row twice (${ITERATIONS} iterations)`, async () => {
    for (let i = 0; i < ITERATIONS; i++) {
      const keys = Array.from({ length: 5 }, (_, k) => ({
        tenantId: 't-race-twice',
        clientKey: `r${k}`,
        subjectId: `i${i}`,
      }));
      await Promise.all(keys.map((k) => a.tokens.getClientToken(k)));
      f.clock.advance(1_600_000);
      const [ra, rb] = await Promise.all([a.refresh.runOnce(), b.refresh.runOnce()]);
      const refreshed = [...ra.outcomes, ...rb.outcomes].filter((o) => o.outcome === 'refreshed');
      const mine = refreshed.map((o) => o.tokenId);
      expect(new Set(mine).size).toBe(mine.length);
      f.clock.advance(300_000);
    }
    const doubles = await f.rows(
      "SELECT id FROM sfs_client_token WHERE tenant_id = 't-race-twice' AND replaced_by IS NOT NULL GROUP BY id, replaced_by HAVING count(*) > 1",
    );
    expect(doubles).toEqual([]);
    const [{ minted, refreshed }] = await f.rows<{ minted: string; refreshed: string }>(
      "SELECT count(*) FILTER (WHERE type IN ('issued','refreshed')) AS minted, count(*) FILTER (WHERE type = 'refreshed') AS refreshed FROM sfs_token_event WHERE tenant_id = 't-race-twice'",
    );
    const sfsCreates = f.sandbox
      .calls({ kind: 'client.create' })
      .filter((c) => /^r[0-4]$/.test(c.clientKey ?? '')).length;
    expect(Number(minted)).toBe(sfsCreates);
    expect(Number(refreshed)).toBeGreaterThan(0);
  });
});
