import { SfsSandbox } from '../../src/sandbox';
import { errorBody, SandboxTestClient } from './sandbox-test-client';

describe('SFS sandbox: fault injection', () => {
  let sandbox: SfsSandbox;
  let client: SandboxTestClient;
  let creds: { action: string; apiKey: string; secret: string };

  beforeAll(async () => {
    sandbox = await SfsSandbox.start();
    client = new SandboxTestClient(sandbox);
    const { apiKey, secret } = sandbox.accounts[0];
    creds = { action: 'create', apiKey, secret };
  });

  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  beforeEach(() => sandbox.reset());

  const createPlatform = () => client.token(creds);

  it('answers an injected status with {code,message} and Retry-After, issuing nothing', async () => {
    sandbox.enqueueFaults({ status: 503, retryAfter: '2' });
    const res = await createPlatform();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.body).toEqual(errorBody(503, 'Service Unavailable'));
    expect(sandbox.issuedTokens()).toHaveLength(0);
    const [call] = sandbox.calls();
    expect(call).toMatchObject({ status: 503, fault: { status: 503, retryAfter: '2' } });
    expect(call.issuedToken).toBeUndefined();
    expect((await createPlatform()).status).toBe(201);
  });

  it('resets the connection: fetch throws, the call is logged with status 0', async () => {
    sandbox.enqueueFaults({ reset: true });
    await expect(createPlatform()).rejects.toThrow('fetch failed');
    expect(sandbox.calls()).toMatchObject([{ status: 0, fault: { reset: true } }]);
    expect(sandbox.issuedTokens()).toHaveLength(0);
    expect((await createPlatform()).status).toBe(201);
  });

  it('hangs: the client timeout fires and the sandbox issued nothing', async () => {
    sandbox.enqueueFaults({ hang: true });
    const hung = client.request('/api/token', {
      body: { data: creds },
      signal: AbortSignal.timeout(200),
    });
    await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(sandbox.calls()).toMatchObject([{ status: 0, fault: { hang: true } }]);
    expect(sandbox.issuedTokens()).toHaveLength(0);
  });

  it('delays, then answers normally', async () => {
    sandbox.enqueueFaults({ delayMs: 150 });
    const started = performance.now();
    const res = await createPlatform();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.status).toBe(201);
    expect(sandbox.issuedTokens()).toHaveLength(1);
  });

  it('serves queued faults in FIFO order, then answers normally', async () => {
    sandbox.enqueueFaults({ status: 500 }, { status: 502 }, { status: 429, retryAfter: '1' });
    expect(sandbox.queuedFaults).toBe(3);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await createPlatform()).status);
    expect(statuses).toEqual([500, 502, 429, 201]);
    expect(sandbox.queuedFaults).toBe(0);
  });

  it('keeps a kind-filtered fault for the first call of that kind', async () => {
    sandbox.enqueueFaults({ status: 503, kind: 'client.create' }, { status: 500 });
    expect((await createPlatform()).status).toBe(500);
    const platform = await client.platformToken();
    const faulted = await client.token({ action: 'create', clientKey: 'c' }, platform);
    expect(faulted.status).toBe(503);
    expect(sandbox.issuedTokens('client')).toHaveLength(0);
    expect(await client.clientToken(platform, 'c')).toHaveLength(43);
  });

  it('a faulted revoke revokes nothing', async () => {
    const platform = await client.platformToken();
    const token = await client.clientToken(platform);
    sandbox.enqueueFaults({ status: 502, kind: 'client.revoke' }, { reset: true });
    expect((await client.token({ action: 'revoke', token }, platform)).status).toBe(502);
    await expect(client.token({ action: 'revoke' }, platform)).rejects.toThrow();
    expect(sandbox.isTokenActive(token)).toBe(true);
    expect(sandbox.isTokenActive(platform)).toBe(true);
  });

  it('rolls random faults reproducibly from a seed, only for the listed kinds', async () => {
    const run = async () => {
      sandbox.setFaults({ statusRates: { 500: 0.5 }, seed: 7, kinds: ['platform.create'] });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await createPlatform()).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([201, 500]));
    expect((await client.contracts('no-such-token')).status).toBe(401);
    expect(sandbox.stats().faulted).toBe(first.filter((s) => s === 500).length * 2);
  });

  it('sends Retry-After with random 429s, adds latency, and stops after clearFaults', async () => {
    sandbox.setFaults({ statusRates: { 429: 1 }, retryAfterSeconds: 3, latencyMs: [60, 60] });
    const started = performance.now();
    const limited = await createPlatform();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    sandbox.clearFaults();
    expect((await createPlatform()).status).toBe(201);
  });

  it('injects resets and hangs at the given rates', async () => {
    sandbox.setFaults({ resetRate: 1 });
    await expect(createPlatform()).rejects.toThrow('fetch failed');
    sandbox.setFaults({ hangRate: 1 });
    const hung = client.request('/api/token', {
      body: { data: creds },
      signal: AbortSignal.timeout(100),
    });
    await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(sandbox.calls().map((c) => c.fault)).toEqual([{ reset: true }, { hang: true }]);
  });

  it('answers late at lateRate: the call takes effect though the client gave up', async () => {
    sandbox.setFaults({ lateRate: 1, lateMs: 300 });
    const late = client.request('/api/token', {
      body: { data: creds },
      signal: AbortSignal.timeout(100),
    });
    await expect(late).rejects.toMatchObject({ name: 'TimeoutError' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(sandbox.issuedTokens('platform')).toHaveLength(1);
    expect(sandbox.calls().map((c) => c.fault)).toEqual([{ delayMs: 300 }]);
    expect(() => sandbox.setFaults({ lateRate: 2 })).toThrow("'lateRate' must be in [0, 1]");
  });

  it.each([
    [{ status: 200 }],
    [{ reset: true, hang: true }],
    [{}],
    [{ delayMs: -1 }],
    [{ status: 500, kind: 'nope' }],
    [{ status: 500, colour: 'red' }],
  ])('refuses a malformed fault %j', (fault) => {
    expect(() => sandbox.enqueueFaults(fault as never)).toThrow(TypeError);
    expect(sandbox.queuedFaults).toBe(0);
  });

  it.each([
    [{ resetRate: 2 }],
    [{ statusRates: { 500: 0.7, 503: 0.5 } }],
    [{ statusRates: { 200: 0.1 } }],
    [{ latencyMs: [50, 10] }],
    [{ kinds: ['platform.create', 'bogus'] }],
  ])('refuses a malformed profile %j', (profile) => {
    expect(() => sandbox.setFaults(profile as never)).toThrow(TypeError);
  });
});

describe('SFS sandbox: close()', () => {
  it('ends hanging calls, refuses new ones, and is idempotent', async () => {
    const sandbox = await SfsSandbox.start();
    const client = new SandboxTestClient(sandbox);
    try {
      sandbox.enqueueFaults({ hang: true }, { delayMs: 10_000 });
      const hung = client.token({ action: 'revoke' }, 'whatever');
      const delayed = client.token({ action: 'revoke' }, 'whatever');
      while (sandbox.calls().length < 2) await new Promise((r) => setTimeout(r, 5));
      const started = performance.now();
      await Promise.all([sandbox.close(), sandbox.close()]);
      expect(performance.now() - started).toBeLessThan(1000);
      await expect(hung).rejects.toThrow('fetch failed');
      await expect(delayed).rejects.toThrow('fetch failed');
      await expect(client.token({ action: 'revoke' }, 'x')).rejects.toThrow('fetch failed');
      await sandbox.close();
    } finally {
      await client.close();
      await sandbox.close();
    }
  });
});
