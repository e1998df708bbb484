import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Client } from 'pg';
import { sfsPassLanes } from '../../../src/sfs-auth/scheduling/work-pipeline';
import { useTokenFixture } from '../../support/token-fixture';

const CONCURRENCY = 3;
/** Rows a pass has in hand: more than its SFS slots. */
const LANES = sfsPassLanes(CONCURRENCY);
/** More rows than lanes, so the rows in hand are seen to stop at LANES. */
const TOKENS = LANES + 3;

/**
 * A refresh pass holds an SFS slot (of `workers.concurrency`) only for the SFS call: a row whose
 * new token is being recorded leaves its slot to the next row, so a slow database does not idle
 * SFS, and SFS never sees more than `concurrency` calls from the pass.
 */
describe('a refresh pass', () => {
  const { f, a } = useTokenFixture('refresh_pass', 1800, { workers: { concurrency: CONCURRENCY } });

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

/**
 * With one SFS slot, each refresh's SFS call waits for the one before, and its request is written
 * before that one's recording: undici writes a request onto a reused keep-alive socket only after
 * the event-loop turn's I/O callbacks, and a recording sent in them would hold the loop first.
 */
describe('a refresh pass with one SFS slot', () => {
  const { f: g, a: one } = useTokenFixture('refresh_pass_order', 1800, {
    workers: { concurrency: 1 },
  });

  it('sends the next SFS request before the previous row is recorded', async () => {
    const tenantId = 't-order';
    for (let i = 0; i < 3; i++) {
      await one.tokens.getClientToken({ tenantId, clientKey: 'c', subjectId: `u${i}` });
    }
    g.clock.advance(1_600_000);
    const order: string[] = [];
    const onSend = (message: unknown) => {
      const { request } = message as { request: { path: string } };
      if (request.path.endsWith('/api/token')) order.push('sfs');
    };
    const logger = one.db.logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query, ...rest) => {
      if (query.includes('sfs_record_mints(')) order.push('record');
      return logQuery(query, ...rest);
    };
    subscribe('undici:client:sendHeaders', onSend);
    g.sandbox.setFaults({ latencyMs: [200, 200], kinds: ['client.create'] });
    try {
      const report = await one.refresh.runOnce();
      expect(report.outcomes.filter((o) => o.outcome === 'refreshed')).toHaveLength(3);
    } finally {
      g.sandbox.clearFaults();
      unsubscribe('undici:client:sendHeaders', onSend);
      logger.logQuery = logQuery;
    }
    // Each row's SFS call takes the slot of the one before: its request precedes that recording.
    expect(order).toEqual(['sfs', 'sfs', 'record', 'sfs', 'record', 'record']);
  });
});
