import { SfsSandbox, type SfsSandboxCall } from '../../src/sandbox';
import { SandboxTestClient } from './sandbox-test-client';

describe('SFS sandbox: control API under /__sandbox/', () => {
  let sandbox: SfsSandbox;
  let client: SandboxTestClient;

  beforeAll(async () => {
    sandbox = await SfsSandbox.start();
    client = new SandboxTestClient(sandbox);
  });

  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  beforeEach(() => sandbox.reset());

  it('refuses calls without the control key (401) or with a wrong one (403)', async () => {
    const none = await client.request('/__sandbox/calls', { method: 'GET' });
    expect(none.status).toBe(401);
    const wrong = await client.request('/__sandbox/reset', {
      headers: { 'x-sandbox-control': `${sandbox.controlKey}x` },
    });
    expect(wrong.status).toBe(403);
    expect(sandbox.calls()).toEqual([]);
  });

  it('lists calls (masked, revealed, by kind), never logging control calls', async () => {
    const platform = await client.platformToken();
    await client.clientToken(platform);
    const masked = await client.control('GET', 'calls');
    expect(masked.status).toBe(200);
    const maskedCalls = (masked.body as { calls: SfsSandboxCall[] }).calls;
    expect(maskedCalls.map((c) => c.kind)).toEqual(['platform.create', 'client.create']);
    expect(JSON.stringify(maskedCalls)).not.toContain(sandbox.accounts[0].secret);
    const revealed = await client.control('GET', 'calls?kind=platform.create&reveal=1');
    const [call] = (revealed.body as { calls: SfsSandboxCall[] }).calls;
    expect(call.issuedToken).toBe(platform);
    expect((await client.control('GET', 'calls?kind=bogus')).status).toBe(400);
    expect(sandbox.calls()).toHaveLength(2);
    expect((await client.control('GET', 'stats')).body).toMatchObject({ total: 2 });
  });

  it('sets, queues and clears faults', async () => {
    expect((await client.control('PUT', 'faults', { statusRates: { 503: 1 } })).status).toBe(204);
    expect((await client.token({ action: 'revoke' }, 'x')).status).toBe(503);
    expect((await client.control('DELETE', 'faults')).status).toBe(204);
    const queued = await client.control('POST', 'faults/queue', [
      { status: 429, retryAfter: '4' },
      { status: 500, kind: 'client.create' },
    ]);
    expect(queued.body).toEqual({ queued: 2 });
    const limited = await client.token({ action: 'revoke' }, 'x');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '4']);
    expect((await client.control('POST', 'faults/queue', { hang: true })).body).toEqual({
      queued: 2,
    });
    await client.control('DELETE', 'faults');
    expect(sandbox.queuedFaults).toBe(0);
    const bad = await client.control('PUT', 'faults', { resetRate: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: '400', message: expect.stringContaining('resetRate') });
    const notJson = await client.request('/__sandbox/faults', {
      method: 'PUT',
      body: '{',
      headers: { 'x-sandbox-control': sandbox.controlKey },
    });
    expect(notJson.status).toBe(400);
  });

  it('reports token state, changes lifetimes, and resets', async () => {
    const platform = await client.platformToken();
    const state = await client.control('GET', `tokens/${platform}`);
    expect(state.body).toMatchObject({ active: true, info: { kind: 'platform', token: platform } });
    expect((await client.control('GET', 'tokens/unknown')).body).toEqual({
      active: false,
      info: null,
    });
    const listed = await client.control('GET', 'tokens?kind=platform');
    expect((listed.body as { tokens: unknown[] }).tokens).toHaveLength(1);
    const lifetimes = await client.control('PUT', 'lifetimes', { client: 30 });
    expect(lifetimes.body).toEqual({ platform: 1800, client: 30 });
    const created = await client.token({ action: 'create', clientKey: 'c' }, platform);
    expect((created.body as { expires_in: number }).expires_in).toBe(30);
    expect((await client.control('PUT', 'lifetimes', { client: -1 })).status).toBe(400);
    expect((await client.control('PUT', 'lifetimes', null)).status).toBe(400);
    expect((await client.control('POST', 'reset')).status).toBe(204);
    expect((await client.control('GET', `tokens/${platform}`)).body).toMatchObject({
      active: false,
    });
    expect(sandbox.calls()).toEqual([]);
    expect((await client.control('GET', 'nothing-here')).status).toBe(404);
  });
});

describe('SFS sandbox: TLS', () => {
  it('serves real TLS: a client that does not trust the sandbox certificate fails', async () => {
    const sandbox = await SfsSandbox.start();
    const client = new SandboxTestClient(sandbox);
    try {
      const untrusted = fetch(`${sandbox.url}/api/token`, { method: 'POST', body: '{}' });
      await expect(untrusted).rejects.toMatchObject({
        cause: {
          code: expect.stringMatching(/^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)$/),
        },
      });
      expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(sandbox.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const viaName = await fetch(`https://localhost:${sandbox.port}/nowhere`, {
        dispatcher: client.agent,
      } as RequestInit);
      expect(viaName.status).toBe(404);
      expect(sandbox.calls()).toHaveLength(1);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });
});
