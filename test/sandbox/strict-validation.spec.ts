import { SfsSandbox } from '../../src/sandbox';
import { SandboxTestClient } from './sandbox-test-client';

type Auth = 'none' | 'platform' | 'client';

describe('SFS sandbox: strict request checks', () => {
  let sandbox: SfsSandbox;
  let client: SandboxTestClient;
  const tokens: Record<Auth, string | undefined> = { none: undefined, platform: '', client: '' };
  const apiKey = 'strict-platform';
  const secret = 'strict-secret-never-echoed';

  beforeAll(async () => {
    sandbox = await SfsSandbox.start({ accounts: [{ apiKey, secret }] });
    client = new SandboxTestClient(sandbox);
    tokens.platform = await client.platformToken();
    tokens.client = await client.clientToken(tokens.platform);
  });

  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  const creds = { action: 'create', apiKey, secret };

  // [case, path, raw body or object, auth, message]
  const cases: Array<[string, string, unknown, Auth, string]> = [
    ['invalid JSON', '/api/token', '{"data":', 'none', 'Body is not valid JSON'],
    ['empty body', '/api/token', '', 'none', 'Body is not valid JSON'],
    ['an array body', '/api/token', '[]', 'none', 'Body must be a JSON object'],
    ['a null body', '/api/token', 'null', 'none', 'Body must be a JSON object'],
    ['no data', '/api/token', {}, 'none', "Missing field 'data'"],
    ['a field beside data', '/api/token', { data: creds, extra: 1 }, 'none', "'extra'"],
    ['data a string', '/api/token', { data: 'x' }, 'none', "Field 'data' must be an object"],
    ['data an array', '/api/token', { data: [creds] }, 'none', "Field 'data' must be an object"],
    ['data null', '/api/token', { data: null }, 'none', "Field 'data' must be an object"],
    [
      'no action',
      '/api/token',
      { data: { apiKey, secret } },
      'none',
      "Missing field 'data.action'",
    ],
    ['action a number', '/api/token', { data: { ...creds, action: 1 } }, 'none', 'data.action'],
    ['action empty', '/api/token', { data: { ...creds, action: '' } }, 'none', 'data.action'],
    ['action unknown', '/api/token', { data: { ...creds, action: 'delete' } }, 'none', 'one of'],
    ['no secret', '/api/token', { data: { action: 'create', apiKey } }, 'none', 'data.secret'],
    ['no apiKey', '/api/token', { data: { action: 'create', secret } }, 'none', 'data.apiKey'],
    ['secret a number', '/api/token', { data: { ...creds, secret: 123 } }, 'none', 'data.secret'],
    ['apiKey empty', '/api/token', { data: { ...creds, apiKey: '' } }, 'none', 'data.apiKey'],
    ['an extra field', '/api/token', { data: { ...creds, lifetime: 60 } }, 'none', 'data.lifetime'],
    [
      'creds + clientKey',
      '/api/token',
      { data: { ...creds, clientKey: 'c' } },
      'none',
      'clientKey',
    ],
    ['creds + a Bearer', '/api/token', { data: creds }, 'platform', "header 'Authorization'"],
    ['client: no clientKey', '/api/token', { data: { action: 'create' } }, 'platform', 'clientKey'],
    [
      'client: clientKey null',
      '/api/token',
      { data: { action: 'create', clientKey: null } },
      'platform',
      "Field 'data.clientKey' must be a string",
    ],
    [
      'client: clientKey empty',
      '/api/token',
      { data: { action: 'create', clientKey: '' } },
      'platform',
      "Field 'data.clientKey' must not be empty",
    ],
    [
      'client: extra field',
      '/api/token',
      { data: { action: 'create', clientKey: 'c', userKey: 'u' } },
      'platform',
      "Unexpected field 'data.userKey'",
    ],
    [
      'platform revoke: extra field',
      '/api/token',
      { data: { action: 'revoke', reason: 'x' } },
      'platform',
      "Unexpected field 'data.reason'",
    ],
    [
      'client revoke: token empty',
      '/api/token',
      { data: { action: 'revoke', token: '' } },
      'platform',
      'data.token',
    ],
    [
      'client revoke: token an object',
      '/api/token',
      { data: { action: 'revoke', token: { id: 1 } } },
      'platform',
      'data.token',
    ],
    [
      'contract: clientKey beside a Bearer',
      '/api/contract',
      { data: { action: 'list', clientKey: 'c' } },
      'client',
      "Unexpected field 'data.clientKey'",
    ],
    [
      'contract: unknown action',
      '/api/contract',
      { data: { action: 'create' } },
      'client',
      'must be one of: list',
    ],
    ['contract: no data', '/api/contract', { action: 'list' }, 'client', "'action'"],
  ];

  it.each(cases)('answers 400 naming the field: %s', async (_case, path, body, auth, message) => {
    const res = await client.request(path, { body, bearer: tokens[auth] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: '400', message: expect.stringContaining(message) });
    expect(JSON.stringify(res.body)).not.toContain(secret);
  });

  it('issued no token and revoked nothing for any malformed call', () => {
    expect(sandbox.issuedTokens().map((t) => [t.kind, t.active])).toEqual([
      ['platform', true],
      ['client', true],
    ]);
    const rejected = sandbox.calls().filter((c) => c.status === 400);
    expect(rejected).toHaveLength(cases.length);
    expect(rejected.every((c) => c.issuedToken === undefined)).toBe(true);
  });

  it('accepts insignificant whitespace and key order, as any JSON parser does', async () => {
    const raw = `{ "data" : { "secret" : "${secret}", "action" : "create", "apiKey" : "${apiKey}" } }`;
    const res = await client.request('/api/token', { body: raw });
    expect(res.status).toBe(201);
  });

  it('answers 413 to a body over 64 KiB', async () => {
    const res = await client.token({ ...creds, padding: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
  });
});
