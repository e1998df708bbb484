import { useTokenFixture } from '../../support/token-fixture';

const LIMIT = 4;
const MINTS = 20;

/** `sfs.maxConcurrentCalls`: one instance never has more requests in flight to SFS. */
describe('SFS bulkhead', () => {
  const { f, a } = useTokenFixture('sfs_bulkhead', 1800, { sfs: { maxConcurrentCalls: LIMIT } });

  it(`${MINTS} concurrent first mints: at most ${LIMIT} SFS calls in flight, all served`, async () => {
    await a.tokens.getClientToken({ tenantId: 't-bulk', clientKey: 'warm' });
    f.sandbox.setFaults({ latencyMs: [100, 100], kinds: ['client.create'] });
    let done = false;
    const storm = Promise.all(
      Array.from({ length: MINTS }, (_, i) =>
        a.tokens.getClientToken({ tenantId: 't-bulk', clientKey: 'c', subjectId: `u${i}` }),
      ),
    ).finally(() => (done = true));
    let most = 0;
    while (!done) {
      const pending = f.sandbox.calls({ kind: 'client.create' }).filter((c) => c.status === 0);
      most = Math.max(most, pending.length);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const tokens = await storm;
    f.sandbox.clearFaults();
    expect(new Set(tokens.map((t) => t.tokenId)).size).toBe(MINTS);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(LIMIT);
  });
});
