import { randomBytes } from 'node:crypto';
import { sfsAuthOptionsFromEnv } from '../../src';
import { SfsSandbox } from '../../src/sandbox';
import { resolveSfsAuthOptions } from '../../src/sfs-auth/options/resolve-sfs-auth-options';
import { SfsHttpTransport } from '../../src/sfs-auth/sfs/sfs-http.transport';

/** What a host's own test does: configure the module from `sandbox.env()`, no file written. */
describe('SFS sandbox from a host test: sandbox.env() through sfsAuthOptionsFromEnv', () => {
  let sandbox: SfsSandbox;
  const keys = `t:${randomBytes(32).toString('base64')}`;

  beforeAll(async () => {
    sandbox = await SfsSandbox.start();
  });
  afterAll(() => sandbox?.close());

  it('names the first account and the certificate', () => {
    expect(sandbox.credentials).toEqual({
      apiKey: sandbox.accounts[0].apiKey,
      secret: sandbox.accounts[0].secret,
    });
    expect(sandbox.env()).toEqual({
      SFS_BASE_URL: sandbox.url,
      SFS_API_KEY: sandbox.accounts[0].apiKey,
      SFS_SECRET: sandbox.accounts[0].secret,
      SFS_CA_PEM: sandbox.caPem,
    });
  });

  it.each([
    ['as PEM text', (pem: string) => pem],
    ['with its newlines escaped (one-line env files)', (pem: string) => pem.replace(/\n/g, '\\n')],
  ])('trusts SFS_CA_PEM given %s, and gets a platform token over TLS', async (_, shape) => {
    const env = { ...sandbox.env(), SFS_ENCRYPTION_KEYS: keys };
    const options = resolveSfsAuthOptions(
      sfsAuthOptionsFromEnv({ ...env, SFS_CA_PEM: shape(sandbox.caPem) }),
    );
    expect(options.caPem).toBe(sandbox.caPem);
    const transport = new SfsHttpTransport(options);
    const before = sandbox.calls({ kind: 'platform.create' }).length;
    const response = await transport.post('/api/token', {
      data: { action: 'create', ...sandbox.credentials },
    });
    expect(response.status).toBe(201);
    expect(sandbox.calls({ kind: 'platform.create' })).toHaveLength(before + 1);
  });

  it('without SFS_CA_PEM the sandbox is not trusted (TLS is never disabled)', async () => {
    const { SFS_CA_PEM: _ignored, ...env } = sandbox.env();
    const options = resolveSfsAuthOptions(
      sfsAuthOptionsFromEnv({ ...env, SFS_ENCRYPTION_KEYS: keys }),
    );
    const transport = new SfsHttpTransport({
      ...options,
      retry: { ...options.retry, maxAttempts: 1 },
    });
    await expect(
      transport.post('/api/token', { data: { action: 'create', ...sandbox.credentials } }),
    ).rejects.toMatchObject({ code: expect.any(String) });
    expect(sandbox.calls({ kind: 'platform.create' }).every((c) => c.status === 201)).toBe(true);
  });
});
