import { codeSpans, readPage } from '../support/markdown';
import { DEMO_PLATFORMS, DemoHarness } from './support/demo-harness';

/**
 * The routes of docs/admin-api.md's "Routes" table as `METHOD /path` in OpenAPI's spelling: a
 * path relative to the tenant's prefix gets it, `:param` becomes `{param}`, queries are dropped.
 */
function documentedAdminRoutes(markdown: string): string[] {
  const section = markdown.slice(markdown.indexOf('## Routes'));
  const table = section.slice(0, section.indexOf('\n## ', 1));
  const routes: string[] = [];
  for (const line of table.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const [method, target] = codeSpans(line.split(' | ')[0])[0].split(' ');
    const path = target.split('?')[0];
    const full = path.startsWith('/sfs/') ? path : `/sfs/admin/tenants/:tenantId${path}`;
    routes.push(`${method} ${full.replace(/:(\w+)/g, '{$1}')}`);
  }
  return routes.sort();
}

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

    it('docs/admin-api.md lists exactly the routes of the OpenAPI document', async () => {
      const doc = (await demo.http.get('/docs/openapi.json').expect(200)).body as {
        paths: Record<string, Record<string, unknown>>;
      };
      const served = Object.entries(doc.paths)
        .filter(([path]) => path.startsWith('/sfs/admin/tenants/'))
        .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
        .sort();
      expect(served.length).toBeGreaterThan(10);
      expect(documentedAdminRoutes(readPage('docs/admin-api.md'))).toEqual(served);
    });
  },
);
