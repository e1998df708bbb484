import { SchedulerRegistry } from '@nestjs/schedule';
import { SfsRetentionWorker } from '../../../src/sfs-auth/retention/retention.worker';
import { createTestApp, sandboxOptions } from '../../support/test-app';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

const DAY = 86_400_000;

/** Statuses of a tenant's rows, by id. */
async function statuses(f: TokenFixture, tenantId: string): Promise<Record<string, string>> {
  const rows = await f.rows<{ id: string; status: string }>(
    'SELECT id, status FROM sfs_client_token WHERE tenant_id = $1',
    [tenantId],
  );
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

const eventCount = async (f: TokenFixture) =>
  Number((await f.rows<{ n: string }>('SELECT count(*) AS n FROM sfs_token_event'))[0].n);

/** Mints a token per subject and has SFS confirm their revocation: `revoked` rows. */
async function revokedTokens(f: TokenFixture, a: TestInstance, tenantId: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      (await a.tokens.getClientToken({ tenantId, clientKey: 'c1', subjectId: `u${i}` })).tokenId,
    );
  }
  await a.tokens.revoke({ tenantId }, 'offboarded');
  const report = await a.revocation.runOnce();
  const done = report.outcomes.filter((o) => o.outcome === 'revoked' && ids.includes(o.tokenId));
  expect(done).toHaveLength(n);
  return ids;
}

describe('SfsRetentionWorker', () => {
  const f = new TokenFixture();
  let a: TestInstance;
  let b: TestInstance;
  let retentionA: SfsRetentionWorker;
  let retentionB: SfsRetentionWorker;

  beforeAll(async () => {
    await f.start('retention', 1800, { retention: { batchSize: 2 } });
    a = await f.addInstance();
    b = await f.addInstance();
    retentionA = a.app.get(SfsRetentionWorker);
    retentionB = b.app.get(SfsRetentionWorker);
  });
  afterAll(() => f.stop());
  beforeEach(() => {
    // Rows are stamped by the database's now(): keep the test clock on the same time line.
    f.clock.set(Date.now());
  });

  it('purges dead rows past the window in batches within one run; keeps live and pending ones', async () => {
    await revokedTokens(f, a, 't-window', 5);
    const active = await a.tokens.getClientToken({ tenantId: 't-window', clientKey: 'c2' });
    const pending = await a.tokens.getClientToken({ tenantId: 't-window', clientKey: 'c3' });
    await a.tokens.revoke({ tenantId: 't-window', tokenId: pending.tokenId }, 'logout');
    const events = await eventCount(f);

    expect(await retentionA.runOnce()).toMatchObject({ tokens: 0, events: 0 });
    f.clock.advance(29 * DAY);
    expect(await retentionA.runOnce()).toMatchObject({ tokens: 0, events: 0 });

    f.clock.advance(2 * DAY);
    // batchSize 2: three batches (2, 2, 1) in the same run.
    expect(await retentionA.runOnce()).toMatchObject({ tokens: 5, events: 0 });
    expect(await statuses(f, 't-window')).toEqual({
      [active.tokenId]: 'active',
      [pending.tokenId]: 'revoking',
    });
    // The purge writes no audit events, and keeps the purged tokens' history for its own window.
    expect(await eventCount(f)).toBe(events);
  });

  it('purges audit events past their window only', async () => {
    f.clock.advance(91 * DAY);
    const before = await eventCount(f);
    const fresh = await a.tokens.getClientToken({ tenantId: 't-events', clientKey: 'c1' });
    const report = await retentionA.runOnce();
    expect(report.events).toBe(before);
    const left = await f.rows<{ token_id: string; type: string }>(
      'SELECT token_id, type FROM sfs_token_event',
    );
    expect(left).toEqual([{ token_id: fresh.tokenId, type: 'issued' }]);
  });

  it('two instances purging at once: no error, every row purged exactly once', async () => {
    await revokedTokens(f, a, 't-race', 9);
    f.clock.advance(31 * DAY);
    const dead = `SELECT count(*) AS n FROM sfs_client_token WHERE status <> 'active'`;
    const [{ n }] = await f.rows<{ n: string }>(dead);
    expect(Number(n)).toBeGreaterThanOrEqual(9);
    const [x, y] = await Promise.all([retentionA.runOnce(), retentionB.runOnce()]);
    expect(x.tokens + y.tokens).toBe(Number(n));
    expect(await f.rows(dead)).toEqual([{ n: '0' }]);
  });
});

describe('SfsRetentionWorker timer', () => {
  const f = new TokenFixture();
  beforeAll(() => f.start('retention_timer'));
  afterAll(() => f.stop());

  async function intervalsWith(retention: { enabled: boolean }): Promise<string[]> {
    const app = await createTestApp({
      databaseUrl: f.database.url,
      options: sandboxOptions(f.sandbox, { workers: { enabled: true }, retention }),
      clock: f.clock,
    });
    try {
      return app.get(SchedulerRegistry).getIntervals();
    } finally {
      await app.close();
    }
  }

  it('runs on a timer only when both the workers and retention are enabled', async () => {
    expect(await intervalsWith({ enabled: true })).toContainEqual(
      expect.stringMatching(/^sfs-auth-retention:/),
    );
    expect(await intervalsWith({ enabled: false })).not.toContainEqual(
      expect.stringMatching(/^sfs-auth-retention:/),
    );
  });
});
