import type { TestingModule } from '@nestjs/testing';
import { SfsSandbox } from '../../../src/sandbox';
import type { SfsAuthModuleOptions } from '../../../src/sfs-auth/options/sfs-auth-options.interface';
import { SfsPlatformTokenProvider } from '../../../src/sfs-auth/sfs/platform-token.provider';
import { SfsTokenApi } from '../../../src/sfs-auth/sfs/sfs-token.api';
import {
  compileSfsModule,
  errorText,
  expectNoSecrets,
  failureOf,
  sandboxOptions,
  secretsOf,
  type CapturingLogger,
} from './sfs-harness';

describe('SfsPlatformTokenProvider against the sandbox', () => {
  let sandbox: SfsSandbox;
  let moduleRef: TestingModule | undefined;
  let logs: CapturingLogger;
  let provider: SfsPlatformTokenProvider;
  let api: SfsTokenApi;
  const errors: unknown[] = [];

  const count = (kind: 'platform.create' | 'client.create') => sandbox.calls({ kind }).length;

  async function boot(overrides: SfsAuthModuleOptions = {}): Promise<void> {
    ({ moduleRef, logs } = await compileSfsModule(sandboxOptions(sandbox, overrides)));
    provider = moduleRef.get(SfsPlatformTokenProvider);
    api = moduleRef.get<SfsTokenApi>(SfsTokenApi);
  }

  beforeAll(async () => {
    sandbox = await SfsSandbox.start();
  });

  beforeEach(() => {
    sandbox.clearCalls();
    sandbox.clearFaults();
  });

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    expectNoSecrets([...logs.lines, ...errors.map(errorText)], secretsOf(sandbox));
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('mints one platform token for 100 concurrent callers', async () => {
    await boot();
    const seen = await Promise.all(
      Array.from({ length: 100 }, () => provider.withPlatformToken('tenant-a', async (t) => t)),
    );
    expect(new Set(seen).size).toBe(1);
    expect(count('platform.create')).toBe(1);
    expect(sandbox.isTokenActive(seen[0])).toBe(true);
    // Real calls with it, and another tenant with the same credentials, reuse it.
    const clients = await Promise.all(
      ['tenant-a', 'tenant-b', 'tenant-c'].map((tenant, i) =>
        provider.withPlatformToken(tenant, (token) => api.createClientToken(token, `c-${i}`)),
      ),
    );
    expect(clients.every((c) => sandbox.isTokenActive(c.accessToken))).toBe(true);
    expect(count('platform.create')).toBe(1);
    const bearers = sandbox.calls({ kind: 'client.create', reveal: true }).map((c) => c.usedToken);
    expect(bearers).toEqual([seen[0], seen[0], seen[0]]);
  });

  it('fails bad credentials once, permanently, for 20 concurrent callers', async () => {
    const apiKey = sandbox.accounts[0].apiKey;
    await boot({ credentialsResolver: { resolve: () => ({ apiKey, secret: 'wrong-secret-42' }) } });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => provider.withPlatformToken('t', async (token) => token)),
    );
    const reasons = results.map((r) => (r.status === 'rejected' ? r.reason : r.value));
    errors.push(...reasons);
    for (const reason of reasons) {
      expect(reason).toMatchObject({
        code: 'SFS_CREDENTIALS_REJECTED',
        retryable: false,
        status: 403,
        tenantId: 't',
      });
    }
    expect(sandbox.calls().map((c) => [c.kind, c.status])).toEqual([['platform.create', 403]]);
    expect(errorText(reasons[0])).not.toContain('wrong-secret-42');
  });

  it('replaces a platform token SFS rejects (401) once, then succeeds', async () => {
    await boot();
    const first = await provider.getPlatformToken('t');
    await api.revokePlatformToken(first); // behind the provider's back
    const client = await provider.withPlatformToken('t', (token) =>
      api.createClientToken(token, 'client-1'),
    );
    expect(sandbox.isTokenActive(client.accessToken)).toBe(true);
    expect(sandbox.calls().map((c) => [c.kind, c.status])).toEqual([
      ['platform.create', 201],
      ['platform.revoke', 201],
      ['client.create', 401],
      ['platform.create', 201],
      ['client.create', 201],
    ]);
    const second = await provider.getPlatformToken('t');
    expect(second).not.toBe(first);
    expect(sandbox.isTokenActive(second)).toBe(true);
  });

  it('propagates a second 401 after one re-mint', async () => {
    await boot();
    sandbox.enqueueFaults(
      { status: 401, kind: 'client.create' },
      { status: 401, kind: 'client.create' },
    );
    const error = await failureOf(
      provider.withPlatformToken('t', (token) => api.createClientToken(token, 'client-1')),
    );
    errors.push(error);
    expect(error).toMatchObject({ code: 'SFS_TOKEN_REJECTED', status: 401 });
    expect(sandbox.calls().map((c) => [c.kind, c.status])).toEqual([
      ['platform.create', 201],
      ['client.create', 401],
      ['platform.create', 201],
      ['client.create', 401],
    ]);
  });

  it('does not retry a permanent rejection of the call itself', async () => {
    await boot();
    sandbox.enqueueFaults({ status: 404, kind: 'client.create' });
    const error = await failureOf(
      provider.withPlatformToken('t', (token) => api.createClientToken(token, 'client-1')),
    );
    errors.push(error);
    expect(error).toMatchObject({ code: 'SFS_REQUEST_REJECTED', retryable: false, status: 404 });
    expect(sandbox.calls().map((c) => c.kind)).toEqual(['platform.create', 'client.create']);
  });
});
