import { SFS_AUTH_EVENTS, SfsTokenLateAnswerEvent } from '../../../src';
import { TokenFixture } from '../../support/token-fixture';

/**
 * SFS answers a token creation after the module's request timeout: the caller got its timeout
 * (and a retry got another token), yet SFS issued the first one too. Real HTTP against the
 * sandbox, which holds its answer back.
 */
describe('late answers of SFS', () => {
  const f = new TokenFixture();
  beforeAll(() => f.start('late_answers'));
  afterAll(() => f.stop());

  const fast = { requestTimeoutMs: 300, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } };
  const waitFor = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
    const until = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > until) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  it('reads the late answer, records the token revoking and revokes it through the outbox', async () => {
    const a = await f.addInstance({
      ...fast,
      lateAnswerGraceMs: 3000,
      workers: { enabled: false },
    });
    const heard: SfsTokenLateAnswerEvent[] = [];
    a.events.on(SFS_AUTH_EVENTS.tokenLateAnswer, (event: SfsTokenLateAnswerEvent) =>
      heard.push(event),
    );
    const key = { tenantId: 't-late', clientKey: 'c1', subjectId: 'lena' };
    f.sandbox.enqueueFaults({ kind: 'client.create', delayMs: 800 });
    const served = await a.tokens.getClientToken(key);
    // The late answer arrives after the retry's: then it is recorded.
    await waitFor(
      async () =>
        (
          await f.rows(
            "SELECT 1 FROM sfs_client_token WHERE tenant_id = 't-late' AND status = 'revoking'",
          )
        ).length === 1,
    );
    const issued = f.sandbox.issuedTokens('client').filter((t) => t.token !== served.accessToken);
    expect(issued).toHaveLength(1);
    const [orphan] = await f.rows<{
      id: string;
      revoke_reason: string;
      token_ciphertext: Buffer | null;
    }>(
      "SELECT id, revoke_reason, token_ciphertext FROM sfs_client_token WHERE tenant_id = 't-late' AND status = 'revoking'",
    );
    expect(orphan.revoke_reason).toBe('SFS answered after the timeout');
    // Sealed like any token: never in plaintext.
    expect(orphan.token_ciphertext?.toString('latin1')).not.toContain(issued[0].token);
    expect(heard).toEqual([
      expect.objectContaining({ tenantId: 't-late', tokenId: orphan.id, subjectId: 'lena' }),
    ]);
    // The caller's token is the one served; the late one is revoked by the outbox.
    expect((await a.tokens.getClientToken(key)).accessToken).toBe(served.accessToken);
    await a.revocation.runOnce();
    expect(f.sandbox.isTokenActive(issued[0].token, 'client')).toBe(false);
    expect(f.sandbox.isTokenActive(served.accessToken, 'client')).toBe(true);
    await f.closeInstance(a);
  });

  it('without the grace (lateAnswerGraceMs 0) the late token stays live at SFS: what the grace fixes', async () => {
    const b = await f.addInstance({ ...fast, lateAnswerGraceMs: 0, workers: { enabled: false } });
    const key = { tenantId: 't-late-off', clientKey: 'c1', subjectId: 'olaf' };
    const before = f.sandbox.issuedTokens('client').length;
    f.sandbox.enqueueFaults({ kind: 'client.create', delayMs: 800 });
    const served = await b.tokens.getClientToken(key);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const fresh = f.sandbox.issuedTokens('client').slice(before);
    const others = fresh.filter((t) => t.token !== served.accessToken);
    // The sandbox issues the token before holding its answer back: SFS did act.
    expect(others).toHaveLength(1);
    await b.revocation.runOnce();
    expect(f.sandbox.isTokenActive(others[0].token, 'client')).toBe(true);
    await f.closeInstance(b);
  });
});
