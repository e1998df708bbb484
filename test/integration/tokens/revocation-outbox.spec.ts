import { SFS_AUTH_EVENTS, SfsLogoutEvent } from '../../../src';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

describe('revocation outbox', () => {
  const f = new TokenFixture();
  let a: TestInstance;

  beforeAll(async () => {
    await f.start('outbox');
    a = await f.addInstance();
  });
  afterAll(() => f.stop());

  it('survives SFS failures and an app restart, then revokes exactly once', async () => {
    const key = { tenantId: 't-outbox', clientKey: 'c1', subjectId: 'dave' };
    const token = await a.tokens.getClientToken(key);
    // Every attempt of the first pass fails (3 attempts per call with the test retry policy).
    f.sandbox.enqueueFaults(
      { status: 503, kind: 'client.revoke' },
      { status: 500, kind: 'client.revoke' },
      { reset: true, kind: 'client.revoke' },
    );
    await a.events.emitAsync(
      SFS_AUTH_EVENTS.logout,
      new SfsLogoutEvent('t-outbox', 'dave', 'c1', 'logout'),
    );
    // Revoking tokens are never served, even before SFS confirmed.
    const replacement = await a.tokens.getClientToken(key);
    expect(replacement.tokenId).not.toBe(token.tokenId);

    const failed = await a.revocation.runOnce();
    expect(failed.outcomes).toEqual([
      expect.objectContaining({ tokenId: token.tokenId, outcome: 'retry', code: 'SFS_NETWORK' }),
    ]);
    expect(f.sandbox.isTokenActive(token.accessToken)).toBe(true);

    await f.closeInstance(a);
    a = await f.addInstance();
    const [pending] = await f.rows<{ attempts: number; status: string; last_error: string }>(
      'SELECT attempts, status, last_error FROM sfs_token_revocation WHERE token_id = $1',
      [token.tokenId],
    );
    expect(pending).toMatchObject({ attempts: 1, status: 'pending' });
    expect(pending.last_error).toMatch(/^SFS_NETWORK/);

    // Not due yet: the backoff is honoured.
    expect((await a.revocation.runOnce()).claimed).toBe(0);
    f.clock.advance(5_000);
    const done = await a.revocation.runOnce();
    expect(done.outcomes).toEqual([
      expect.objectContaining({ tokenId: token.tokenId, outcome: 'revoked' }),
    ]);
    expect(f.sandbox.isTokenActive(token.accessToken)).toBe(false);
    expect(f.sandbox.calls({ kind: 'client.revoke' }).filter((c) => c.status === 201)).toHaveLength(
      1,
    );
    expect(
      await f.rows('SELECT 1 FROM sfs_token_revocation WHERE token_id = $1', [token.tokenId]),
    ).toEqual([]);
    const events = await f.rows<{ type: string }>(
      'SELECT type FROM sfs_token_event WHERE token_id = $1 ORDER BY id',
      [token.tokenId],
    );
    expect(events.map((e) => e.type)).toEqual([
      'issued',
      'revoke_requested',
      'revoke_retried',
      'revoked',
    ]);
  });

  it('gives up after revocationGiveUpSeconds as `failed`, visible and retryable', async () => {
    const g = await f.addInstance({ workers: { enabled: false, revocationGiveUpSeconds: 60 } });
    const key = { tenantId: 't-giveup', clientKey: 'c1', subjectId: 'erin' };
    const token = await g.tokens.getClientToken(key);
    await g.tokens.revoke(key, 'offboarding');
    f.sandbox.setFaults({ statusRates: { 503: 1 }, kinds: ['client.revoke'] });
    expect((await g.revocation.runOnce()).outcomes).toEqual([
      expect.objectContaining({ outcome: 'retry' }),
    ]);
    f.clock.advance(61_000);
    const report = await g.revocation.runOnce();
    expect(report.outcomes).toContainEqual(
      expect.objectContaining({ tokenId: token.tokenId, outcome: 'failed' }),
    );
    const [row] = await f.rows<{ status: string }>(
      'SELECT status FROM sfs_token_revocation WHERE token_id = $1',
      [token.tokenId],
    );
    expect(row.status).toBe('failed');
    f.sandbox.clearFaults();
    f.clock.advance(600_000);
    expect((await g.revocation.runOnce()).claimed).toBe(0);
    expect(f.sandbox.isTokenActive(token.accessToken)).toBe(true);
    expect(await g.tokens.retryFailedRevocations('t-giveup')).toBe(1);
    expect((await g.revocation.runOnce()).outcomes).toEqual([
      expect.objectContaining({ tokenId: token.tokenId, outcome: 'revoked', confirmedBy: 'sfs' }),
    ]);
    expect(f.sandbox.isTokenActive(token.accessToken)).toBe(false);
    await f.closeInstance(g);
  });

  it('counts a token SFS no longer knows (404) as revoked', async () => {
    const key = { tenantId: 't-gone', clientKey: 'c1', subjectId: 'frank' };
    const token = await a.tokens.getClientToken(key);
    f.sandbox.reset();
    await a.tokens.revoke(key, 'logout');
    const report = await a.revocation.runOnce();
    expect(report.outcomes).toContainEqual(
      expect.objectContaining({
        tokenId: token.tokenId,
        outcome: 'revoked',
        confirmedBy: 'already-dead',
      }),
    );
  });
});
