import {
  SFS_AUTH_EVENTS,
  SfsLogoutEvent,
  SfsTokenFailedEvent,
  SfsTokenIssuedEvent,
  SfsTokenRefreshedEvent,
  SfsTokenRevokedEvent,
} from '../../../src';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

describe('token lifecycle: idle tokens, session age, outbound events, timer workers, shutdown', () => {
  const f = new TokenFixture();
  let a: TestInstance;

  beforeAll(async () => {
    await f.start('lifecycle');
    a = await f.addInstance({ idleServiceTokenSeconds: 600, maxSessionAgeSeconds: 3600 });
  });
  afterAll(() => f.stop());

  it('leaves an idle service token to expire instead of refreshing it', async () => {
    const key = { tenantId: 't-idle', clientKey: 'c1' };
    const token = await a.tokens.getClientToken(key);
    f.clock.advance(1_700_000); // due, and unused for longer than 600 s
    const report = await a.refresh.runOnce();
    expect(report.outcomes).toContainEqual({
      tokenId: token.tokenId,
      outcome: 'left-to-expire',
      reason: 'service token idle',
    });
    f.clock.advance(200_000); // past expiry
    const expired = await a.refresh.runOnce();
    expect(expired.outcomes).toContainEqual({ tokenId: token.tokenId, outcome: 'expired' });
    const [row] = await f.rows<{ status: string; token_ciphertext: Buffer | null }>(
      'SELECT status, token_ciphertext FROM sfs_client_token WHERE id = $1',
      [token.tokenId],
    );
    expect(row).toEqual({ status: 'expired', token_ciphertext: null });
  });

  it('refreshes a used service token, and stops refreshing a session older than maxSessionAgeSeconds', async () => {
    const service = { tenantId: 't-age', clientKey: 'c1' };
    const user = { tenantId: 't-age', clientKey: 'c1', subjectId: 'u1' };
    await a.tokens.getClientToken(service);
    await a.tokens.getClientToken(user);
    for (let i = 0; i < 12; i++) {
      f.clock.advance(540_000); // 9 minutes
      await a.tokens.getClientToken(service); // keeps the service token in use
      await a.refresh.runOnce(); // flushes last_used_at, then refreshes what is due
      await a.refresh.runOnce();
    }
    const userRows = await f.rows<{ status: string; replaced_by: string | null }>(
      "SELECT status, replaced_by FROM sfs_client_token WHERE tenant_id = 't-age' AND subject_id = 'u1' ORDER BY created_at",
    );
    // The user's chain was refreshed while younger than an hour, then left to expire.
    expect(userRows.length).toBeGreaterThanOrEqual(2);
    expect(userRows[0].replaced_by).not.toBeNull();
    expect(userRows[userRows.length - 1].replaced_by).toBeNull();
    expect(userRows[userRows.length - 1].status).toBe('expired');
    const serviceRows = await f.rows(
      "SELECT id FROM sfs_client_token WHERE tenant_id = 't-age' AND subject_id IS NULL",
    );
    expect(serviceRows.length).toBeGreaterThanOrEqual(3);
    const events = await f.rows<{ reason: string }>(
      "SELECT reason FROM sfs_token_event WHERE tenant_id = 't-age' AND type = 'refresh_skipped'",
    );
    expect(events.map((e) => e.reason)).toContain('session older than maxSessionAgeSeconds');
  });

  it('emits issued, refreshed and revoked after commit, with no token material', async () => {
    const seen: Array<{ name: string; payload: unknown }> = [];
    for (const name of [
      SFS_AUTH_EVENTS.tokenIssued,
      SFS_AUTH_EVENTS.tokenRefreshed,
      SFS_AUTH_EVENTS.tokenRevoked,
    ]) {
      a.events.on(name, (payload: unknown) => seen.push({ name, payload }));
    }
    const key = { tenantId: 't-events', clientKey: 'c1', subjectId: 'u1' };
    const token = await a.tokens.getClientToken(key);
    f.clock.advance(1_600_000);
    await a.refresh.runOnce();
    const next = await a.tokens.getClientToken(key);
    await a.events.emitAsync(SFS_AUTH_EVENTS.logout, new SfsLogoutEvent('t-events', 'u1'));
    await a.revocation.runOnce();

    const mine = seen.filter((e) => (e.payload as { tenantId: string }).tenantId === 't-events');
    expect(mine.map((e) => e.name)).toEqual([
      SFS_AUTH_EVENTS.tokenIssued,
      SFS_AUTH_EVENTS.tokenRefreshed,
      SFS_AUTH_EVENTS.tokenRevoked,
      SFS_AUTH_EVENTS.tokenRevoked,
    ]);
    expect(mine[0].payload).toBeInstanceOf(SfsTokenIssuedEvent);
    expect(mine[1].payload).toBeInstanceOf(SfsTokenRefreshedEvent);
    expect(mine[1].payload).toMatchObject({
      tokenId: next.tokenId,
      previousTokenId: token.tokenId,
    });
    expect(mine[2].payload).toBeInstanceOf(SfsTokenRevokedEvent);
    // Both the current token and the replaced, still-live one are revoked at SFS.
    expect(new Set(mine.slice(2).map((e) => (e.payload as { tokenId: string }).tokenId))).toEqual(
      new Set([token.tokenId, next.tokenId]),
    );
    expect(f.sandbox.isTokenActive(token.accessToken)).toBe(false);
    expect(f.sandbox.isTokenActive(next.accessToken)).toBe(false);
    const text = JSON.stringify(mine);
    expect(text).not.toContain(token.accessToken);
    expect(text).not.toContain(next.accessToken);
  });

  it('emits token.failed for a refresh SFS refuses for good, and for a revocation given up', async () => {
    const g = await f.addInstance({ workers: { enabled: false, revocationGiveUpSeconds: 60 } });
    const failed: SfsTokenFailedEvent[] = [];
    g.events.on(SFS_AUTH_EVENTS.tokenFailed, (event: SfsTokenFailedEvent) => failed.push(event));
    const key = { tenantId: 't-failed', clientKey: 'c1', subjectId: 'u1' };
    const token = await g.tokens.getClientToken(key);

    // The refresh: SFS refuses the new token with a 400 (not retried, so permanent).
    f.sandbox.setFaults({ statusRates: { 400: 1 }, kinds: ['client.create'] });
    f.clock.advance(1_600_000);
    const refresh = await g.refresh.runOnce();
    expect(refresh.outcomes).toContainEqual(
      expect.objectContaining({ tokenId: token.tokenId, outcome: 'failed', permanent: true }),
    );
    f.sandbox.clearFaults();
    expect(failed).toEqual([
      expect.objectContaining({
        tenantId: 't-failed',
        tokenId: token.tokenId,
        operation: 'refresh',
        permanent: true,
      }),
    ]);
    expect(failed[0]).toBeInstanceOf(SfsTokenFailedEvent);

    // The revocation: a retry announces nothing; giving up does.
    const other = await g.tokens.getClientToken({ ...key, subjectId: 'u2' });
    await g.tokens.revoke({ ...key, subjectId: 'u2' }, 'left');
    f.sandbox.setFaults({ statusRates: { 503: 1 }, kinds: ['client.revoke'] });
    await g.revocation.runOnce();
    expect(failed).toHaveLength(1);
    f.clock.advance(61_000);
    await g.revocation.runOnce();
    f.sandbox.clearFaults();
    expect(failed[1]).toMatchObject({
      tenantId: 't-failed',
      tokenId: other.tokenId,
      operation: 'revoke',
      code: 'SFS_UNAVAILABLE',
      permanent: true,
    });
    expect(JSON.stringify(failed)).not.toContain(token.accessToken);
    await f.closeInstance(g);
  });

  it('timer-driven workers revoke after a logout without anyone calling runOnce, and drain on close', async () => {
    const timed = await f.addInstance({ sweepIntervalMs: 50, workers: { enabled: true } });
    const key = { tenantId: 't-timer', clientKey: 'c1', subjectId: 'u1' };
    const token = await timed.tokens.getClientToken(key);
    const started = Date.now();
    await timed.events.emitAsync(SFS_AUTH_EVENTS.logout, new SfsLogoutEvent('t-timer', 'u1'));
    while (f.sandbox.isTokenActive(token.accessToken) && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const latencyMs = Date.now() - started;
    expect(f.sandbox.isTokenActive(token.accessToken)).toBe(false);
    console.log(`logout → revoked at SFS in ${latencyMs} ms (timer workers, sweep 50 ms)`);

    // A pass in flight when the app closes is awaited: SFS is slow, close still completes cleanly.
    const other = await timed.tokens.getClientToken({ ...key, subjectId: 'u2' });
    f.sandbox.enqueueFaults({ delayMs: 300, kind: 'client.revoke' });
    await timed.tokens.revoke({ ...key, subjectId: 'u2' }, 'logout');
    await f.closeInstance(timed);
    expect(f.sandbox.isTokenActive(other.accessToken)).toBe(false);
    const [row] = await f.rows<{ status: string }>(
      'SELECT status FROM sfs_client_token WHERE id = $1',
      [other.tokenId],
    );
    expect(row.status).toBe('revoked');
  });

  it('a worker that claims a full batch starts the next pass at once instead of waiting an interval', async () => {
    const timed = await f.addInstance({
      sweepIntervalMs: 3_600_000,
      workers: { enabled: true, batchSize: 2 },
    });
    const tokens = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        timed.tokens.getClientToken({ tenantId: 't-backlog', clientKey: `c${n}`, subjectId: 'u1' }),
      ),
    );
    // One nudge (the revoke) and an hour-long interval: only back-to-back passes can finish in time.
    expect(await timed.tokens.revoke({ tenantId: 't-backlog', subjectId: 'u1' }, 'logout')).toBe(5);
    const live = () => tokens.filter((t) => f.sandbox.isTokenActive(t.accessToken)).length;
    const started = Date.now();
    while (live() > 0 && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(live()).toBe(0);
    await f.closeInstance(timed);
  });
});
