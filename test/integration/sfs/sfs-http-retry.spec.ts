import type { TestingModule } from '@nestjs/testing';
import { SfsSandbox, type SfsSandboxFault } from '../../../src/sandbox';
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

describe('SfsHttpTransport retries against the sandbox', () => {
  let sandbox: SfsSandbox;
  let moduleRef: TestingModule;
  let logs: CapturingLogger;
  let api: SfsTokenApi;
  const errors: unknown[] = [];

  const createPlatform = () => api.createPlatformToken(sandbox.accounts[0]);
  const statuses = () => sandbox.calls().map((c) => c.status);

  beforeAll(async () => {
    sandbox = await SfsSandbox.start();
    ({ moduleRef, logs } = await compileSfsModule(sandboxOptions(sandbox)));
    api = moduleRef.get<SfsTokenApi>(SfsTokenApi);
  });

  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.clearCalls();
  });

  afterAll(async () => {
    await moduleRef?.close();
    const secrets = secretsOf(sandbox);
    expectNoSecrets([...logs.lines, ...errors.map(errorText)], secrets);
    await sandbox?.close();
  });

  it.each<[string, SfsSandboxFault, number]>([
    ['500', { status: 500 }, 500],
    ['503', { status: 503 }, 503],
    ['a connection reset', { reset: true }, 0],
  ])('retries after %s, then succeeds', async (_name, fault, status) => {
    sandbox.enqueueFaults(fault, fault);
    const token = await createPlatform();
    expect(sandbox.isTokenActive(token.accessToken)).toBe(true);
    expect(statuses()).toEqual([status, status, 201]);
  });

  it('times out a hanging call and retries it', async () => {
    const timed = await compileSfsModule(sandboxOptions(sandbox, { requestTimeoutMs: 800 }));
    try {
      sandbox.enqueueFaults({ hang: true });
      const started = Date.now();
      const token = await timed.moduleRef
        .get<SfsTokenApi>(SfsTokenApi)
        .createPlatformToken(sandbox.accounts[0]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(790);
      expect(sandbox.isTokenActive(token.accessToken)).toBe(true);
      expect(statuses()).toEqual([0, 201]);
      expect(timed.logs.lines.join('\n')).toMatch(/→ SFS_TIMEOUT in \d+ ms \(attempt 1\/4\)/);
    } finally {
      await timed.moduleRef.close();
      expectNoSecrets(timed.logs.lines, secretsOf(sandbox));
    }
  });

  it('waits for Retry-After on a 429', async () => {
    sandbox.enqueueFaults({ status: 429, retryAfter: '1' });
    const started = Date.now();
    await createPlatform();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const [limited, ok] = sandbox.calls();
    expect([limited.status, ok.status]).toEqual([429, 201]);
    expect(ok.at - limited.at).toBeGreaterThanOrEqual(1000);
  });

  it('gives a Retry-After longer than maxDelayMs back to the caller at once', async () => {
    sandbox.enqueueFaults({ status: 429, retryAfter: '30' });
    const error = await failureOf(createPlatform());
    errors.push(error);
    expect(error).toMatchObject({
      code: 'SFS_RATE_LIMITED',
      retryable: true,
      status: 429,
      retryAfterMs: 30_000,
    });
    expect(statuses()).toEqual([429]);
  });

  it('stops after maxAttempts with the last retryable error', async () => {
    sandbox.enqueueFaults(...Array.from({ length: 4 }, () => ({ status: 502 })));
    const error = await failureOf(createPlatform());
    errors.push(error);
    expect(error).toMatchObject({ code: 'SFS_UNAVAILABLE', retryable: true, status: 502 });
    expect(statuses()).toEqual([502, 502, 502, 502]);
  });

  it.each([400, 404, 409, 422])('treats %d as permanent after exactly one call', async (status) => {
    sandbox.enqueueFaults({ status });
    const error = await failureOf(createPlatform());
    errors.push(error);
    expect(error).toMatchObject({ code: 'SFS_REQUEST_REJECTED', retryable: false, status });
    expect(statuses()).toEqual([status]);
  });

  it('maps a 401 on a Bearer call to SFS_TOKEN_REJECTED without retrying', async () => {
    const platform = await createPlatform();
    await api.revokePlatformToken(platform.accessToken);
    sandbox.clearCalls();
    const error = await failureOf(api.createClientToken(platform.accessToken, 'client-1'));
    errors.push(error);
    expect(error).toMatchObject({ code: 'SFS_TOKEN_REJECTED', retryable: false, status: 401 });
    expect(statuses()).toEqual([401]);
  });
});
