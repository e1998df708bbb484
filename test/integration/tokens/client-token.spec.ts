import { Agent } from 'undici';
import { SFS_AUTH_EVENTS, SfsLoginEvent, SfsLogoutEvent } from '../../../src';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

const LEAD_MS = 300_000;

async function contractStatus(f: TokenFixture, token: string): Promise<number> {
  const response = await fetch(`${f.sandbox.url}/api/contract`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ data: { action: 'list' } }),
    dispatcher: new Agent({ connect: { ca: f.sandbox.caPem } }),
  } as RequestInit);
  return response.status;
}

describe('client tokens across two instances', () => {
  const f = new TokenFixture();
  let a: TestInstance;
  let b: TestInstance;

  beforeAll(async () => {
    await f.start('client_token');
    a = await f.addInstance();
    b = await f.addInstance();
  });
  afterAll(() => f.stop());

  it('200 concurrent callers on two instances cause exactly one mint', async () => {
    f.sandbox.clearCalls();
    const key = { tenantId: 't-burst', clientKey: 'client-1', subjectId: 'user-1' };
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).tokens.getClientToken(key)),
    );
    expect(f.sandbox.calls({ kind: 'client.create' })).toHaveLength(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    expect(new Set(results.map((r) => r.tokenId)).size).toBe(1);
    expect(results[0].tokenType).toBe('Bearer');
    expect(await contractStatus(f, results[0].accessToken)).toBe(200);
    const rows = await f.rows('SELECT status FROM sfs_client_token WHERE tenant_id = $1', [
      't-burst',
    ]);
    expect(rows).toEqual([{ status: 'active' }]);
  });

  it('keys differ by tenant, client and subject; the service token has no subject', async () => {
    const service = await a.tokens.getClientToken({ tenantId: 't-keys', clientKey: 'c' });
    const user = await a.tokens.getClientToken({
      tenantId: 't-keys',
      clientKey: 'c',
      subjectId: 'u',
    });
    const other = await a.tokens.getClientToken({
      tenantId: 't-keys2',
      clientKey: 'c',
      subjectId: 'u',
    });
    expect(new Set([service.tokenId, user.tokenId, other.tokenId]).size).toBe(3);
    const again = await b.tokens.getClientToken({
      tenantId: 't-keys',
      clientKey: 'c',
      subjectId: null,
    });
    expect(again.tokenId).toBe(service.tokenId);
  });

  it('rejects invalid identifiers naming the field, before any SFS call', async () => {
    f.sandbox.clearCalls();
    await expect(
      a.tokens.getClientToken({ tenantId: 'bad tenant', clientKey: 'c' }),
    ).rejects.toThrow(/tenantId/);
    await expect(a.tokens.getClientToken({ tenantId: 't', clientKey: '' })).rejects.toThrow(
      /clientKey/,
    );
    await expect(a.tokens.revoke({ tenantId: 't', tokenId: 'nope' }, 'x')).rejects.toThrow(
      /tokenId/,
    );
    expect(f.sandbox.calls()).toHaveLength(0);
  });

  it('replaces tokens before expiry: no caller ever receives one expiring within the lead', async () => {
    f.sandbox.setTokenLifetimes({ client: 900 });
    const keys = Array.from({ length: 10 }, (_, i) => ({
      tenantId: 't-refresh',
      clientKey: `c${i}`,
      subjectId: `u${i}`,
    }));
    const first = await Promise.all(keys.map((k) => a.tokens.getClientToken(k)));
    const seen = new Set(first.map((t) => t.tokenId));
    const clientKeys = new Set(keys.map((k) => k.clientKey));
    const creates = () =>
      f.sandbox.calls({ kind: 'client.create' }).filter((c) => clientKeys.has(c.clientKey ?? ''))
        .length;
    const before = creates();
    for (let step = 0; step < 60; step++) {
      f.clock.advance(30_000); // 30 minutes in all: every token is replaced at least once
      await Promise.all([a.refresh.runOnce(), b.refresh.runOnce()]);
      for (const key of keys) {
        const token = await (step % 2 ? a : b).tokens.getClientToken(key);
        expect(token.expiresAt.getTime() - f.clock.now()).toBeGreaterThan(
          Math.min(LEAD_MS, 450_000),
        );
        expect(f.sandbox.isTokenActive(token.accessToken)).toBe(true);
        seen.add(token.tokenId);
      }
    }
    expect(seen.size).toBeGreaterThan(keys.length * 2);
    // Every mint replaced exactly one token: no double refreshes.
    const refreshed = await f.rows<{ n: string }>(
      "SELECT count(*) AS n FROM sfs_token_event WHERE tenant_id = 't-refresh' AND type = 'refreshed'",
    );
    expect(creates() - before).toBe(Number(refreshed[0].n));
    const doubles = await f.rows(
      "SELECT replaced_by FROM sfs_client_token WHERE tenant_id = 't-refresh' AND replaced_by IS NOT NULL GROUP BY replaced_by HAVING count(*) > 1",
    );
    expect(doubles).toEqual([]);
    f.sandbox.setTokenLifetimes({ client: 1800 });
  });

  it('login mints eagerly; logout revokes exactly that subject’s tokens at SFS', async () => {
    await a.events.emitAsync(SFS_AUTH_EVENTS.login, new SfsLoginEvent('t-logout', 'c1', 'alice'));
    const alice = await b.tokens.getClientToken({
      tenantId: 't-logout',
      clientKey: 'c1',
      subjectId: 'alice',
    });
    const bob = await b.tokens.getClientToken({
      tenantId: 't-logout',
      clientKey: 'c1',
      subjectId: 'bob',
    });
    expect(
      f.sandbox.calls({ kind: 'client.create', reveal: true }).map((c) => c.issuedToken),
    ).toContain(alice.accessToken);
    f.sandbox.clearCalls();

    await b.events.emitAsync(SFS_AUTH_EVENTS.logout, new SfsLogoutEvent('t-logout', 'alice'));
    const report = await b.revocation.runOnce();
    expect(report.outcomes).toEqual([
      expect.objectContaining({ tokenId: alice.tokenId, outcome: 'revoked', confirmedBy: 'sfs' }),
    ]);
    const revokes = f.sandbox.calls({ kind: 'client.revoke', reveal: true });
    expect(revokes).toHaveLength(1);
    expect(revokes[0].body).toEqual({ data: { action: 'revoke', token: alice.accessToken } });
    expect(await contractStatus(f, alice.accessToken)).toBe(401);
    expect(await contractStatus(f, bob.accessToken)).toBe(200);
    const [row] = await f.rows<{ status: string; token_ciphertext: Buffer | null }>(
      'SELECT status, token_ciphertext FROM sfs_client_token WHERE id = $1',
      [alice.tokenId],
    );
    expect(row).toEqual({ status: 'revoked', token_ciphertext: null });
    // A new login gets a new token, never the revoked one.
    const again = await a.tokens.getClientToken({
      tenantId: 't-logout',
      clientKey: 'c1',
      subjectId: 'alice',
    });
    expect(again.tokenId).not.toBe(alice.tokenId);
  });

  it('the other instance stops serving a revoked token once the notification arrives', async () => {
    const key = { tenantId: 't-notify', clientKey: 'c1', subjectId: 'carol' };
    const cached = await a.tokens.getClientToken(key);
    expect((await a.tokens.getClientToken(key)).tokenId).toBe(cached.tokenId);
    await b.tokens.revoke(key, 'admin action');
    let served = cached.tokenId;
    for (let i = 0; i < 100 && served === cached.tokenId; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      served = (await a.tokens.getClientToken(key)).tokenId;
    }
    expect(served).not.toBe(cached.tokenId);
  });
});
