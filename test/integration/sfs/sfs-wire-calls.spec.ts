import type { TestingModule } from '@nestjs/testing';
import { SfsSandbox } from '../../../src/sandbox';
import { resolveSfsAuthOptions } from '../../../src/sfs-auth/options/resolve-sfs-auth-options';
import { SfsHttpTransport } from '../../../src/sfs-auth/sfs/sfs-http.transport';
import { SfsTokenApi } from '../../../src/sfs-auth/sfs/sfs-token.api';
import { apiKeyAuth, SFS_WIRE } from '../../../src/sfs-auth/sfs/sfs-wire';
import {
  compileSfsModule,
  expectNoSecrets,
  failureOf,
  sandboxOptions,
  secretsOf,
  testEncryptionKeys,
  type CapturingLogger,
} from './sfs-harness';

describe('SFS wire calls, as the sandbox receives them', () => {
  let sandbox: SfsSandbox;
  let moduleRef: TestingModule;
  let logs: CapturingLogger;
  let api: SfsTokenApi;

  beforeAll(async () => {
    sandbox = await SfsSandbox.start();
    ({ moduleRef, logs } = await compileSfsModule(sandboxOptions(sandbox)));
    api = moduleRef.get<SfsTokenApi>(SfsTokenApi);
  });

  afterAll(async () => {
    await moduleRef?.close();
    expectNoSecrets(logs.lines, secretsOf(sandbox));
    await sandbox?.close();
  });

  it('sends the four token calls byte for byte as docs/sfs-token-api.md says', async () => {
    const { apiKey, secret } = sandbox.accounts[0];
    const platform = await api.createPlatformToken({ apiKey, secret });
    const client = await api.createClientToken(platform.accessToken, 'client-1');
    await api.revokeClientToken(platform.accessToken, client.accessToken);
    await api.revokePlatformToken(platform.accessToken);

    const calls = sandbox.calls({ reveal: true });
    expect(calls.map((c) => [c.kind, c.method, c.path, c.status])).toEqual([
      ['platform.create', 'POST', '/api/token', 201],
      ['client.create', 'POST', '/api/token', 201],
      ['client.revoke', 'POST', '/api/token', 201],
      ['platform.revoke', 'POST', '/api/token', 201],
    ]);
    expect(calls.map((c) => c.rawBody)).toEqual([
      `{"data":{"action":"create","apiKey":"${apiKey}","secret":"${secret}"}}`,
      '{"data":{"action":"create","clientKey":"client-1"}}',
      `{"data":{"action":"revoke","token":"${client.accessToken}"}}`,
      '{"data":{"action":"revoke"}}',
    ]);
    expect(calls.map((c) => c.headers['authorization'])).toEqual([
      undefined,
      `Bearer ${platform.accessToken}`,
      `Bearer ${platform.accessToken}`,
      `Bearer ${platform.accessToken}`,
    ]);
    for (const call of calls) expect(call.headers['content-type']).toBe('application/json');
    expect(platform).toMatchObject({ tokenType: 'Bearer', expiresInSeconds: 1800 });
    expect(sandbox.isTokenActive(platform.accessToken)).toBe(false);
    expect(sandbox.isTokenActive(client.accessToken)).toBe(false);
  });

  it('logs method, path, status, attempt and duration, and nothing of the bodies', () => {
    const line = logs.lines.find((l) => l.startsWith('debug') && l.includes('POST /api/token'));
    expect(line).toMatch(/POST \/api\/token → 201 in \d+ ms \(attempt 1\/4\)/);
    expect(logs.lines.join('\n')).not.toMatch(/"data"|access_token|client-1/);
  });

  it('trusts expires_in as SFS returns it', async () => {
    const short = await SfsSandbox.start({
      platformTokenLifetimeSeconds: 90,
      clientTokenLifetimeSeconds: 45,
    });
    const shortModule = await compileSfsModule(sandboxOptions(short));
    try {
      const shortApi = shortModule.moduleRef.get<SfsTokenApi>(SfsTokenApi);
      const platform = await shortApi.createPlatformToken(short.accounts[0]);
      const client = await shortApi.createClientToken(platform.accessToken, 'c');
      expect([platform.expiresInSeconds, client.expiresInSeconds]).toEqual([90, 45]);
    } finally {
      await shortModule.moduleRef.close();
      await short.close();
    }
  });

  it('sends the api-key mode header and body on the protected call', async () => {
    const transport = moduleRef.get(SfsHttpTransport);
    const auth = apiKeyAuth(sandbox.accounts[0].apiKey, 'client-7');
    const answer = await transport.post(
      SFS_WIRE.contractPath,
      { data: { action: 'list', ...auth.data } },
      { headers: auth.headers, credentials: true },
    );
    expect(answer.status).toBe(200);
    const [call] = sandbox.calls({ kind: 'contract.list', reveal: true });
    expect(call.rawBody).toBe('{"data":{"action":"list","clientKey":"client-7"}}');
    expect(call.headers['x-sendforsign-key']).toBe(sandbox.accounts[0].apiKey);
    expect(call.headers['authorization']).toBeUndefined();
    expect(call.status).toBe(200);
  });

  it('reports a wrong api key in api-key mode as a credentials error', async () => {
    const transport = moduleRef.get(SfsHttpTransport);
    const auth = apiKeyAuth('not-a-key-1234', 'client-7');
    const error = await failureOf(
      transport.post(
        SFS_WIRE.contractPath,
        { data: { action: 'list', ...auth.data } },
        { headers: auth.headers, credentials: true },
      ),
    );
    expect(error).toMatchObject({
      code: 'SFS_CREDENTIALS_REJECTED',
      retryable: false,
      status: 403,
    });
  });

  it('refuses an http:// base URL at boot, naming https', () => {
    let error: unknown;
    try {
      resolveSfsAuthOptions({
        baseUrl: sandbox.url.replace('https:', 'http:'),
        apiKey: 'k',
        secret: 's',
        encryptionKeys: testEncryptionKeys(),
      });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as Error).message).toContain('https');
  });
});
