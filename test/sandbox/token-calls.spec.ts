import { SfsSandbox } from '../../src/sandbox';
import { errorBody, SandboxTestClient } from './sandbox-test-client';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

describe('SFS sandbox: the four token calls', () => {
  let now = Date.UTC(2030, 0, 1);
  let sandbox: SfsSandbox;
  let client: SandboxTestClient;
  const other = { apiKey: 'other-platform', secret: 'other-secret-value' };

  beforeAll(async () => {
    sandbox = await SfsSandbox.start({
      accounts: [
        { apiKey: 'main-platform', secret: 'main-secret-value' },
        other,
        { apiKey: 'closed-platform', secret: 'closed-secret-value', clientKeys: ['known'] },
      ],
      clientTokenLifetimeSeconds: 600,
      now: () => now,
    });
    client = new SandboxTestClient(sandbox);
  });

  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  beforeEach(() => sandbox.reset());

  it('creates a platform token: 201 with exactly access_token, token_type, expires_in', async () => {
    const res = await client.token({
      action: 'create',
      apiKey: 'main-platform',
      secret: 'main-secret-value',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(TOKEN),
      token_type: 'Bearer',
      expires_in: 1800,
    });
    const token = (res.body as { access_token: string }).access_token;
    expect(sandbox.tokenInfo(token)).toMatchObject({
      kind: 'platform',
      apiKey: 'main-platform',
      issuedAt: now,
      expiresAt: now + 1800_000,
      active: true,
    });
  });

  it.each([
    ['an unknown API key', { apiKey: 'nobody', secret: 'main-secret-value' }],
    ['a wrong secret', { apiKey: 'main-platform', secret: 'wrong-secret-value' }],
  ])('answers 403 to %s, same message, no secret echoed, no token', async (_case, creds) => {
    const res = await client.token({ action: 'create', ...creds });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: '403', message: 'Invalid API key or secret' });
    expect(sandbox.issuedTokens()).toHaveLength(0);
  });

  it('revokes a platform token: 201 {code,message}; the token then gets 401', async () => {
    const platform = await client.platformToken();
    const res = await client.token({ action: 'revoke' }, platform);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ code: '201', message: 'Token revoked' });
    expect(sandbox.isTokenActive(platform)).toBe(false);
    const again = await client.token({ action: 'create', clientKey: 'c' }, platform);
    expect(again.status).toBe(401);
    expect(again.body).toEqual(errorBody(401, 'revoked'));
    expect(again.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('creates a client token bound to the account and client, with the client lifetime', async () => {
    const platform = await client.platformToken();
    const res = await client.token({ action: 'create', clientKey: 'client-42' }, platform);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(TOKEN),
      token_type: 'Bearer',
      expires_in: 600,
    });
    const token = (res.body as { access_token: string }).access_token;
    expect(sandbox.tokenInfo(token)).toMatchObject({
      kind: 'client',
      apiKey: 'main-platform',
      clientKey: 'client-42',
      expiresAt: now + 600_000,
    });
    const second = await client.clientToken(platform, 'client-42');
    expect(second).not.toBe(token);
    expect(sandbox.isTokenActive(token) && sandbox.isTokenActive(second)).toBe(true);
  });

  it('revokes a client token: 201, idempotent when already revoked', async () => {
    const platform = await client.platformToken();
    const token = await client.clientToken(platform);
    const res = await client.token({ action: 'revoke', token }, platform);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ code: '201', message: 'Token revoked' });
    expect(sandbox.tokenInfo(token)).toMatchObject({ active: false, revokedAt: now });
    expect(sandbox.isTokenActive(platform)).toBe(true);
    const again = await client.token({ action: 'revoke', token }, platform);
    expect(again.status).toBe(201);
  });

  it('answers 404 to revoking an unknown token, a platform token, or another account’s token', async () => {
    const platform = await client.platformToken();
    const foreign = await client.clientToken(await client.platformToken(other));
    for (const token of ['x'.repeat(43), platform, foreign]) {
      const res = await client.token({ action: 'revoke', token }, platform);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: '404', message: 'Client token not found' });
    }
    expect(sandbox.isTokenActive(foreign)).toBe(true);
  });

  it('revoking an expired client token answers 201 and marks it revoked', async () => {
    const platform = await client.platformToken();
    const token = await client.clientToken(platform);
    now += 600_000;
    const res = await client.token({ action: 'revoke', token }, platform);
    expect(res.status).toBe(201);
    expect(sandbox.tokenInfo(token)?.revokedAt).toBe(now);
  });

  it('answers 401 for an expired, unknown, missing or client token where a platform token is required', async () => {
    const platform = await client.platformToken();
    const clientToken = await client.clientToken(platform);
    const create = (bearer?: string) => client.token({ action: 'create', clientKey: 'c' }, bearer);
    expect((await create(clientToken)).body).toEqual(errorBody(401, 'platform token is required'));
    expect((await create('unknown-token')).body).toEqual(errorBody(401, 'Unknown token'));
    const missing = await client.token({ action: 'revoke' });
    expect(missing.body).toEqual(errorBody(401, 'Missing Authorization'));
    const basic = await client.request('/api/token', {
      body: { data: { action: 'revoke' } },
      headers: { authorization: `Basic ${platform}` },
    });
    expect(basic.status).toBe(401);
    now += 1800_000 - 1;
    expect((await create(platform)).status).toBe(201);
    now += 1;
    const expired = await create(platform);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual(errorBody(401, 'expired'));
    expect(sandbox.issuedTokens('client')).toHaveLength(2);
  });

  it('refuses an unknown client of an account that lists its clients with 404', async () => {
    const platform = await client.platformToken(sandbox.accounts[2]);
    const res = await client.token({ action: 'create', clientKey: 'stranger' }, platform);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: '404', message: 'Client not found' });
    expect(await client.clientToken(platform, 'known')).toMatch(TOKEN);
  });

  it('applies lifetimes changed at runtime to later tokens only', async () => {
    const before = await client.platformToken();
    sandbox.setTokenLifetimes({ platform: 5 });
    const res = await client.token({
      action: 'create',
      apiKey: 'main-platform',
      secret: 'main-secret-value',
    });
    expect((res.body as { expires_in: number }).expires_in).toBe(5);
    expect(sandbox.lifetimes).toEqual({ platform: 5, client: 600 });
    expect(sandbox.tokenInfo(before)?.expiresAt).toBe(now + 1800_000);
    expect(() => sandbox.setTokenLifetimes({ client: 0 })).toThrow(RangeError);
    expect(() => sandbox.setTokenLifetimes({ other: 1 } as never)).toThrow(TypeError);
  });

  it('answers 415 to a body that is not declared JSON, 404 to other paths and methods', async () => {
    const body = {
      data: { action: 'create', apiKey: 'main-platform', secret: 'main-secret-value' },
    };
    const plain = await client.request('/api/token', { body, contentType: 'text/plain' });
    expect(plain.status).toBe(415);
    expect(plain.body).toEqual(errorBody(415, 'application/json'));
    const none = await client.request('/api/token', {
      body: JSON.stringify(body),
      contentType: null,
    });
    expect(none.status).toBe(415);
    const charset = await client.request('/api/token', {
      body,
      contentType: 'application/json; charset=utf-8',
    });
    expect(charset.status).toBe(201);
    expect((await client.request('/api/token', { method: 'GET' })).body).toEqual(errorBody(404));
    expect((await client.request('/api/client', { body })).status).toBe(404);
    expect(sandbox.calls().map((c) => c.kind)).toEqual([
      'platform.create',
      'platform.create',
      'platform.create',
      'unknown',
      'unknown',
    ]);
  });

  it('honours the revokeStatuses option for undocumented cases', async () => {
    const strict = await SfsSandbox.start({
      revokeStatuses: { alreadyRevoked: 409, unknown: 410 },
    });
    const strictClient = new SandboxTestClient(strict);
    try {
      const platform = await strictClient.platformToken();
      const token = await strictClient.clientToken(platform);
      expect((await strictClient.token({ action: 'revoke', token }, platform)).status).toBe(201);
      const again = await strictClient.token({ action: 'revoke', token }, platform);
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ code: '409', message: 'Token already revoked' });
      const unknown = await strictClient.token({ action: 'revoke', token: 'nope' }, platform);
      expect(unknown.status).toBe(410);
    } finally {
      await strictClient.close();
      await strict.close();
    }
    await expect(SfsSandbox.start({ revokeStatuses: { unknown: 204 } })).rejects.toThrow(
      RangeError,
    );
  });
});
