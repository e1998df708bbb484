import { Client } from 'pg';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

const CONCURRENCY = 3;
/** Rows a pass has in hand: `concurrency` and half as many again. */
const LANES = CONCURRENCY + Math.ceil(CONCURRENCY / 2);
const TOKENS = 8;

/**
 * A refresh pass holds an SFS slot (of `workers.concurrency`) only for the SFS call: a row whose
 * new token is being recorded leaves its slot to the next row, so a slow database does not idle
 * SFS, and SFS never sees more than `concurrency` calls from the pass.
 */
describe('a refresh pass', () => {
  const f = new TokenFixture();
  let a: TestInstance;

  beforeAll(async () => {
    await f.start('refresh_pass', 1800, { workers: { concurrency: CONCURRENCY } });
    a = await f.addInstance();
  });
  afterAll(() => f.stop());

  it(`calls SFS for other rows while recordings wait, with at most ${CONCURRENCY} calls in flight`, async () => {
    const tenantId = 't-pass';
    for (let i = 0; i < TOKENS; i++) {
      await a.tokens.getClientToken({ tenantId, clientKey: 'c', subjectId: `u${i}` });
    }
    f.clock.advance(1_600_000); // due for refresh, not expired
    const creates = () => f.sandbox.calls({ kind: 'client.create' }).slice(TOKENS);
    // Every recording appends audit events: while this lock is held, each one waits.
    const blocker = new Client({ connectionString: f.database.url });
    await blocker.connect();
    let report: Awaited<ReturnType<typeof a.refresh.runOnce>>;
    let most = 0;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE sfs_token_event IN SHARE ROW EXCLUSIVE MODE');
      f.sandbox.setFaults({ latencyMs: [100, 100], kinds: ['client.create'] });
      const pass = a.refresh.runOnce();
      const deadline = Date.now() + 10_000;
      // Each lane's row is minted at SFS and then waits on the lock: LANES calls in all.
      while (creates().filter((c) => c.status !== 0).length < LANES && Date.now() < deadline) {
        most = Math.max(most, creates().filter((c) => c.status === 0).length);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // Long enough for more calls, had a waiting recording given its slot back too early.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(creates()).toHaveLength(LANES);
      await blocker.query('COMMIT');
      const done = pass.then((r) => (report = r));
      while (!report!) {
        most = Math.max(most, creates().filter((c) => c.status === 0).length);
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5))]);
      }
    } finally {
      f.sandbox.clearFaults();
      await blocker.end();
    }
    expect(report.outcomes.filter((o) => o.outcome === 'refreshed')).toHaveLength(TOKENS);
    expect(creates()).toHaveLength(TOKENS);
    expect(most).toBe(CONCURRENCY);
  });
});
