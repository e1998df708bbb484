import { SfsSandbox } from '../../src/sandbox';
import { SandboxTestClient } from './sandbox-test-client';

describe('SFS sandbox: call log and helpers', () => {
  const now = Date.UTC(2031, 2, 3);
  const apiKey = 'log-platform';
  const secret = 'log-secret-abcdefgh-WXYZ';
  let sandbox: SfsSandbox;
  let client: SandboxTestClient;

  beforeAll(async () => {
    sandbox = await SfsSandbox.start({ accounts: [{ apiKey, secret }], now: () => now });
    client = new SandboxTestClient(sandbox);
  });

  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  beforeEach(() => sandbox.reset());

  it('masks the secret, bearer tokens, token fields and issued tokens by default', async () => {
    const platform = await client.platformToken();
    const token = await client.clientToken(platform, 'acme');
    await client.token({ action: 'revoke', token }, platform);
    await client.request('/api/contract', {
      body: { data: { action: 'list', clientKey: 'acme' } },
      headers: { 'x-sendforsign-key': apiKey },
    });
    const calls = sandbox.calls();
    const text = JSON.stringify(calls);
    for (const hidden of [secret, platform, token]) {
      expect(text).not.toContain(hidden);
    }
    const [create, clientCreate, revoke, apiKeyCall] = calls;
    expect(create.body).toEqual({ data: { action: 'create', apiKey, secret: '***WXYZ' } });
    expect(create.rawBody).toBe(
      `{"data":{"action":"create","apiKey":"${apiKey}","secret":"***WXYZ"}}`,
    );
    expect(create.issuedToken).toBe(`***${platform.slice(-4)}`);
    expect(clientCreate.headers.authorization).toBe(`Bearer ***${platform.slice(-4)}`);
    expect(clientCreate).toMatchObject({
      clientKey: 'acme',
      usedToken: `***${platform.slice(-4)}`,
    });
    expect(revoke.body).toEqual({ data: { action: 'revoke', token: `***${token.slice(-4)}` } });
    expect(revoke.rawBody).not.toContain(token);
    expect(revoke).toMatchObject({ revokedToken: `***${token.slice(-4)}`, clientKey: 'acme' });
    expect(apiKeyCall.headers['x-sendforsign-key']).toBe(`***${apiKey.slice(-4)}`);
  });

  it('reveals exact values and the body byte for byte on request', async () => {
    const raw = `{ "data": {"action" : "create",\n "apiKey":"${apiKey}", "secret":"${secret}"} }`;
    const res = await client.request('/api/token', { body: raw });
    const issued = (res.body as { access_token: string }).access_token;
    const [call] = sandbox.calls({ reveal: true });
    expect(call.rawBody).toBe(raw);
    expect(call.body).toEqual({ data: { action: 'create', apiKey, secret } });
    expect(call.issuedToken).toBe(issued);
    expect(call).toMatchObject({
      seq: expect.any(Number),
      at: now,
      method: 'POST',
      path: '/api/token',
      kind: 'platform.create',
      status: 201,
    });
    expect(call.headers['content-type']).toBe('application/json');
    await client.contracts(issued);
    expect(sandbox.calls({ reveal: true })[1].headers.authorization).toBe(`Bearer ${issued}`);
  });

  it('masks secrets even in a body that does not parse', async () => {
    const raw = `{"data":{"action":"create","apiKey":"${apiKey}","secret":"${secret}"`;
    expect((await client.request('/api/token', { body: raw })).status).toBe(400);
    const [call] = sandbox.calls();
    expect(call.body).toBeUndefined();
    expect(call.rawBody).not.toContain(secret);
    expect(call.rawBody).toContain('"secret":"***WXYZ"');
    expect(call.errorMessage).toBe('Body is not valid JSON');
  });

  it('filters by kind, keeps arrival order, counts per kind and status', async () => {
    const platform = await client.platformToken();
    await client.clientToken(platform, 'a');
    await client.clientToken(platform, 'b');
    await client.token({ action: 'create', clientKey: 'c' }, 'bad-token');
    const clientCalls = sandbox.calls({ kind: 'client.create' });
    expect(clientCalls.map((c) => [c.clientKey, c.status])).toEqual([
      ['a', 201],
      ['b', 201],
      ['c', 401],
    ]);
    const seqs = sandbox.calls().map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(sandbox.stats()).toEqual({
      total: 4,
      faulted: 0,
      byKind: {
        'platform.create': { total: 1, byStatus: { '201': 1 } },
        'client.create': { total: 3, byStatus: { '201': 2, '401': 1 } },
      },
      byStatus: { '201': 3, '401': 1 },
    });
    sandbox.clearCalls();
    expect(sandbox.calls()).toEqual([]);
    expect(sandbox.issuedTokens()).toHaveLength(3);
  });

  it('describes issued tokens and reports their state', async () => {
    const platform = await client.platformToken();
    const token = await client.clientToken(platform, 'acme');
    expect(sandbox.tokenInfo(token)).toEqual({
      token,
      kind: 'client',
      apiKey,
      clientKey: 'acme',
      issuedAt: now,
      expiresAt: now + 1800_000,
      revokedAt: undefined,
      active: true,
    });
    expect(sandbox.issuedTokens('platform').map((t) => t.token)).toEqual([platform]);
    expect(sandbox.isTokenActive(token, 'client')).toBe(true);
    expect(sandbox.isTokenActive(token, 'platform')).toBe(false);
    expect(sandbox.tokenInfo('never-issued')).toBeUndefined();
    expect(sandbox.isTokenActive('never-issued')).toBe(false);
  });

  it('reset() forgets tokens, calls and faults, and restores lifetimes', async () => {
    const platform = await client.platformToken();
    sandbox.enqueueFaults({ status: 500 });
    sandbox.setFaults({ statusRates: { 503: 1 } });
    sandbox.setTokenLifetimes({ platform: 10, client: 20 });
    sandbox.reset();
    expect(sandbox.issuedTokens()).toEqual([]);
    expect(sandbox.calls()).toEqual([]);
    expect(sandbox.queuedFaults).toBe(0);
    expect(sandbox.lifetimes).toEqual({ platform: 1800, client: 1800 });
    expect(sandbox.isTokenActive(platform)).toBe(false);
    expect((await client.token({ action: 'revoke' }, platform)).status).toBe(401);
    expect((await client.token({ action: 'create', apiKey, secret })).status).toBe(201);
  });
});
