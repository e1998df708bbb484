import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import {
  SFS_AUTH_EVENTS,
  SfsAuthHealthIndicator,
  SfsLogoutEvent,
  type SfsAuthModuleOptions,
} from '../../../src';
import { CapturingLogger } from '../../security/support/log-capture';
import { startPgBouncer, type PgBouncerHandle } from '../../support/pgbouncer';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';
import {
  type SfsSessionEvent,
  SfsSessionTokenService,
} from '../../../src/sfs-auth/handoff/session-token.service';

/** The bound: a revocation on one instance stops every other instance serving within 2 s. */
const BUDGET_MS = 2000;
/** Logouts measured per scenario (the latency summary is printed with the results). */
const LOGOUTS = 20;
/** Each scenario boots two apps and measures 20 logouts at random moments of a 1 s poll cycle. */
const SCENARIO_TIMEOUT_MS = 90_000;

/**
 * Logs `subject` in on A, has B serve (and cache) the token, logs out on A, and asks B until it
 * serves another token. Returns how long that took (ms, real time: the bound is operational).
 */
async function logoutReachesB(
  a: TestInstance,
  b: TestInstance,
  tenantId: string,
  subjectId: string,
): Promise<number> {
  const key = { tenantId, clientKey: 'c1', subjectId };
  const token = await a.tokens.getClientToken(key);
  expect((await b.tokens.getClientToken(key)).tokenId).toBe(token.tokenId);
  // Logouts at random moments of the poll cycle, so the gauges are not all measured at one phase.
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 1000));
  await a.events.emitAsync(SFS_AUTH_EVENTS.logout, new SfsLogoutEvent(tenantId, subjectId));
  const started = performance.now();
  for (;;) {
    const served = await b.tokens.getClientToken(key);
    const elapsed = performance.now() - started;
    if (served.tokenId !== token.tokenId) return elapsed;
    if (elapsed > BUDGET_MS) {
      throw new Error(`instance B still serves the revoked token after ${Math.round(elapsed)} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const feedWarnings = (log: CapturingLogger) =>
  log.of('warn').filter((line) => line.includes('change feed'));

/** {@link LOGOUTS} logouts of A reaching B, each within the budget; prints median and max. */
async function measureLogouts(a: TestInstance, b: TestInstance, tenantId: string, label: string) {
  const latencies: number[] = [];
  for (let i = 0; i < LOGOUTS; i++) latencies.push(await logoutReachesB(a, b, tenantId, `u${i}`));
  console.info(summary(label, latencies));
}

function summary(label: string, latencies: number[]): string {
  const sorted = [...latencies].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)];
  const max = sorted[sorted.length - 1];
  return `${label}: revocation reached the other instance's cache in median ${median.toFixed(0)} ms, max ${max.toFixed(0)} ms over ${sorted.length} logouts`;
}

describe('behind PgBouncer in transaction mode', () => {
  const f = new TokenFixture();
  let bouncer: PgBouncerHandle;
  let pooled: string;

  beforeAll(async () => {
    await f.start('pgbouncer');
    bouncer = await startPgBouncer({ serverUrl: f.database.url });
    pooled = bouncer.urlFor(f.database.name);
  });
  afterAll(async () => {
    await f.stop();
    await bouncer?.stop();
  });

  async function pair(extra: Partial<SfsAuthModuleOptions>) {
    const logs = [new CapturingLogger(), new CapturingLogger()];
    const a = await f.addInstance(extra, { databaseUrl: pooled, logger: logs[0] });
    const b = await f.addInstance(extra, { databaseUrl: pooled, logger: logs[1] });
    const close = async () => {
      await f.closeInstance(a);
      await f.closeInstance(b);
    };
    return { a, b, logs, close };
  }

  const feedOf = (instance: TestInstance) =>
    instance.app
      .get(SfsAuthHealthIndicator)
      .gauges()
      .then((gauges) => gauges.changeFeed);

  it('(a LISTEN through the pooler really receives nothing: the scenario is live)', async () => {
    const { a, b, close } = await pair({ changeFeed: { mode: 'poll' } });
    try {
      const raw = new Client({ connectionString: pooled });
      await raw.connect();
      const got: string[] = [];
      raw.on('notification', (n) => got.push(n.payload ?? ''));
      await raw.query('LISTEN sfs_auth_token');
      await a.db.query(`SELECT pg_notify('sfs_auth_token', 'ping')`);
      await b.db.query('SELECT 1'); // let a delivery, if any, happen
      await new Promise((resolve) => setTimeout(resolve, 300));
      await raw.end();
      expect(got).toEqual([]);
    } finally {
      await close();
    }
  });

  it.each<[string, 'listen' | 'poll', (directUrl: string) => Partial<SfsAuthModuleOptions>]>([
    [
      'with the listen URL on the direct server: LISTEN proven, no warning',
      'listen',
      (directUrl) => ({ changeFeed: { listenUrl: directUrl } }),
    ],
    ['without a listen URL: auto warns once and polls', 'poll', () => ({})],
  ])(
    '%s; a logout reaches the other cache within 2 s',
    async (_name, mode, options) => {
      const { a, b, logs, close } = await pair(options(f.database.url));
      try {
        expect(await feedOf(a)).toMatchObject({ configured: 'auto', mode });
        expect(await feedOf(b)).toMatchObject({ configured: 'auto', mode });
        const label =
          mode === 'listen'
            ? 'listen (direct LISTEN URL, DataSource through PgBouncer)'
            : 'poll fallback (auto, everything through PgBouncer)';
        await measureLogouts(a, b, `t-${mode}`, label);
        const expected =
          mode === 'listen' ? [] : [expect.stringMatching(/transaction pooler.*polling/)];
        for (const log of logs) expect(feedWarnings(log)).toEqual(expected);
      } finally {
        await close();
      }
    },
    SCENARIO_TIMEOUT_MS,
  );

  it("with mode 'listen' and no listen URL: the boot fails, naming the fix", async () => {
    await expect(
      f.addInstance(
        { changeFeed: { mode: 'listen', probeTimeoutMs: 300 } },
        { databaseUrl: pooled, logger: new CapturingLogger() },
      ),
    ).rejects.toMatchObject({
      code: 'CHANGE_FEED_UNPROVEN',
      message: expect.stringMatching(/SFS_LISTEN_DATABASE_URL/),
    });
  });

  it('mints, refreshes and revokes at SFS through the pooler (no session state)', async () => {
    const { a, close } = await pair({ changeFeed: { mode: 'poll' } });
    try {
      const key = { tenantId: 't-flow', clientKey: 'c1', subjectId: 'u1' };
      const first = await a.tokens.getClientToken(key);
      f.clock.advance(1_700_000);
      const refreshed = await a.refresh.runOnce();
      expect(refreshed.outcomes).toContainEqual(
        expect.objectContaining({ tokenId: first.tokenId, outcome: 'refreshed' }),
      );
      const current = await a.tokens.getClientToken(key);
      expect(current.tokenId).not.toBe(first.tokenId);
      // The current token and the one it replaced (still servable until it expires).
      expect(await a.tokens.revoke({ tenantId: 't-flow', subjectId: 'u1' }, 'test')).toBe(2);
      await a.revocation.runOnce();
      const [row] = await f.rows<{ status: string }>(
        'SELECT status FROM sfs_client_token WHERE id = $1',
        [current.tokenId],
      );
      expect(row.status).toBe('revoked');
    } finally {
      await close();
    }
  });
  it(
    'a browser stream on B (poll mode) gets the replacement and the revocation made on A, each within 2 s',
    async () => {
      const { a, b, close } = await pair({ changeFeed: { mode: 'poll' } });
      const events: Array<SfsSessionEvent & { at: number }> = [];
      try {
        const key = { tenantId: 't-stream', clientKey: 'c1', subjectId: 'sue' };
        const first = await a.tokens.getClientToken(key);
        const subscription = b.app
          .get(SfsSessionTokenService)
          .open(key)
          .subscribe((event) => events.push({ ...event, at: performance.now() }));
        const until = async (type: string, count: number, from: number) => {
          for (;;) {
            const found = events.filter((e) => e.type === type);
            if (found.length >= count) return found[count - 1].at - from;
            if (performance.now() - from > BUDGET_MS) throw new Error(`no ${type} #${count} on B`);
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        };
        await until('token', 1, performance.now());
        expect((events[0].data as { accessToken: string }).accessToken).toBe(first.accessToken);

        // A refresh pass on A replaces the token (the clock past its refresh time).
        f.clock.advance(30 * 60_000 - 60_000);
        const refreshed = performance.now();
        await a.refresh.runOnce();
        const refreshMs = await until('token', 2, refreshed);
        expect((events[1].data as { accessToken: string }).accessToken).not.toBe(first.accessToken);

        const loggedOut = performance.now();
        await a.events.emitAsync(SFS_AUTH_EVENTS.logout, new SfsLogoutEvent('t-stream', 'sue'));
        const revokeMs = await until('revoked', 1, loggedOut);
        console.info(
          `poll mode through PgBouncer: a stream on B got the replacement in ${refreshMs.toFixed(0)} ms, the revocation in ${revokeMs.toFixed(0)} ms`,
        );
        subscription.unsubscribe();
      } finally {
        await close();
      }
    },
    SCENARIO_TIMEOUT_MS,
  );
});
