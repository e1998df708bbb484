import { DEMO_PLATFORMS, DemoHarness } from './support/demo-harness';

describe.each(DEMO_PLATFORMS)(
  'demo app: /health, /metrics and the OpenAPI document (%s)',
  (platform) => {
    const demo = new DemoHarness({ platform, env: { SFS_DEMO_HEALTH_DETAILS: 'true' } });
    beforeAll(() => demo.start(`e2e_ops_${platform}`));
    afterAll(() => demo.close());

    it('/health with SFS_DEMO_HEALTH_DETAILS shows the gauges of the module, never a path', async () => {
      const health = await demo.http.get('/health').expect(200);
      expect(health.body).toMatchObject({
        status: 'ok',
        db: 'up',
        sfs: 'sandbox',
        details: { status: 'up', overdueRefreshes: 0, pendingRevocations: 0 },
      });
      expect(health.text).not.toMatch(/[/\\](tmp|home|work|var)\b|postgres(ql)?:\/\/|:\d{4,5}\b/i);
    });

    it('/health answers 503 when refreshes are overdue (workers stopped, clock moved past refresh_at)', async () => {
      await demo.http
        .post('/demo/login')
        .send({ tenantId: 'acme', clientKey: 'ops', userId: 'bob' })
        .expect(200);
      demo.clock.advance(1800_000 - 60_000);
      const health = await demo.http.get('/health').expect(503);
      expect(health.body).toMatchObject({ status: 'error', db: 'up' });
      expect(health.body.details.overdueRefreshes).toBe(1);
      await demo.refreshNow();
      await demo.http.get('/health').expect(200);
    });

    it('/metrics counts operations and SFS calls in the Prometheus format, with the gauges', async () => {
      const before = await demo.http.get('/metrics').expect(200);
      expect(before.headers['content-type']).toMatch(/^text\/plain/);
      const mints = (text: string) =>
        Number(/sfs_auth_operations_total\{operation="mint",outcome="ok"\} (\d+)/.exec(text)?.[1]);
      await demo.http
        .post('/demo/login')
        .send({ tenantId: 'acme', clientKey: 'ops', userId: 'carol' })
        .expect(200);
      const after = await demo.http.get('/metrics').expect(200);
      expect(mints(after.text)).toBe(mints(before.text) + 1);
      expect(after.text).toMatch(
        /sfs_auth_sfs_call_duration_seconds_count\{call="client_token",status="201"\} \d+/,
      );
      expect(after.text).toMatch(/^sfs_auth_active_tokens \d+$/m);
      expect(after.text).toMatch(/^sfs_auth_pending_revocations 0$/m);
    });

    it("documents the admin API through the host's @nestjs/swagger (the optional peer, present here)", async () => {
      const doc = (await demo.http.get('/docs/openapi.json').expect(200)).body as {
        paths: Record<string, Record<string, { tags?: string[] }>>;
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      };
      expect(doc.paths['/sfs/admin/tenants/{tenantId}/tokens'].get.tags).toEqual([
        'sfs-auth admin',
      ]);
      expect(Object.keys(doc.components.schemas.SfsTokenRecordDto.properties ?? {})).toEqual(
        expect.arrayContaining(['id', 'fingerprint', 'expiresAt', 'lastError']),
      );
      expect(doc.components.schemas.SfsMintTokenBodyDto.properties).toHaveProperty('clientKey');
    });
  },
);
