import { SfsSandbox } from '../../src/sandbox';
import { errorBody, SandboxTestClient } from './sandbox-test-client';

describe('SFS sandbox: the protected sample call POST /api/contract', () => {
  let now = Date.UTC(2030, 5, 1);
  let sandbox: SfsSandbox;
  let client: SandboxTestClient;
  let platform: string;

  beforeAll(async () => {
    sandbox = await SfsSandbox.start({
      accounts: [
        { apiKey: 'open-platform', secret: 'open-secret-value' },
        { apiKey: 'listed-platform', secret: 'listed-secret-value', clientKeys: ['acme'] },
      ],
      now: () => now,
    });
    client = new SandboxTestClient(sandbox);
  });

  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  beforeEach(async () => {
    sandbox.reset();
    platform = await client.platformToken();
  });

  const apiKeyCall = (key: string | undefined, data: Record<string, unknown>) =>
    client.request('/api/contract', {
      body: { data },
      headers: key === undefined ? {} : { 'x-sendforsign-key': key },
    });

  it('answers 200 {contracts: []} to a valid client token, then 401 once it is revoked', async () => {
    const token = await client.clientToken(platform, 'acme');
    const ok = await client.contracts(token);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ contracts: [] });
    expect(sandbox.calls({ kind: 'contract.list' })[0].clientKey).toBe('acme');
    expect((await client.token({ action: 'revoke', token }, platform)).status).toBe(201);
    const revoked = await client.contracts(token);
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual(errorBody(401, 'revoked'));
  });

  it('answers 401 once the client token expires (moving the injected clock)', async () => {
    const token = await client.clientToken(platform);
    now += 1800_000 - 1;
    expect((await client.contracts(token)).status).toBe(200);
    now += 1;
    const expired = await client.contracts(token);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual(errorBody(401, 'expired'));
  });

  it('answers 401 to an unknown token and to a platform token', async () => {
    expect((await client.contracts('never-issued')).body).toEqual(errorBody(401, 'Unknown'));
    expect((await client.contracts(platform)).body).toEqual(errorBody(401, 'client token'));
  });

  it('answers 401 when the token was revoked behind the client’s back', async () => {
    const token = await client.clientToken(platform);
    expect(sandbox.revokeToken(token)).toBe(true);
    expect((await client.contracts(token)).status).toBe(401);
  });

  it('accepts the testing-only api-key mode: X-Sendforsign-Key + clientKey in data', async () => {
    const ok = await apiKeyCall('open-platform', { action: 'list', clientKey: 'anyone' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ contracts: [] });
    const [call] = sandbox.calls({ kind: 'contract.list', reveal: true });
    expect(call).toMatchObject({ clientKey: 'anyone', status: 200 });
    expect(call.headers['x-sendforsign-key']).toBe('open-platform');
  });

  it('api-key mode: 403 bad key, 401 no credentials, 400 missing clientKey, 404 unlisted client', async () => {
    const bad = await apiKeyCall('wrong-key', { action: 'list', clientKey: 'c' });
    expect(bad.status).toBe(403);
    expect(bad.body).toEqual({ code: '403', message: 'Invalid API key' });
    const none = await apiKeyCall(undefined, { action: 'list', clientKey: 'c' });
    expect(none.status).toBe(401);
    const empty = await apiKeyCall('', { action: 'list', clientKey: 'c' });
    expect(empty.status).toBe(401);
    const noClient = await apiKeyCall('open-platform', { action: 'list' });
    expect(noClient.body).toEqual(errorBody(400, "Missing field 'data.clientKey'"));
    const unlisted = await apiKeyCall('listed-platform', { action: 'list', clientKey: 'other' });
    expect(unlisted.status).toBe(404);
    const listed = await apiKeyCall('listed-platform', { action: 'list', clientKey: 'acme' });
    expect(listed.status).toBe(200);
  });

  it('answers 400 to a Bearer token and an API key at once', async () => {
    const token = await client.clientToken(platform);
    const res = await client.request('/api/contract', {
      body: { data: { action: 'list' } },
      bearer: token,
      headers: { 'x-sendforsign-key': 'open-platform' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorBody(400, 'not both'));
  });
});
