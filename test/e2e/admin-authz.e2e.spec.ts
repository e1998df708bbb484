import { randomUUID } from 'node:crypto';
import { ADMIN_ROUTES, adminRoute, routeUrl, sendAdmin } from './support/admin-api';
import { errorBodyProblem } from './support/admin-errors';
import { DEMO_PLATFORMS, DemoHarness, type DemoAdminKeys } from './support/demo-harness';
import { foreignData, seedTenant, type SeededTenant } from './support/tenant-seed';

type Tenant = 'acme' | 'globex';

/** A credential that must not open the target tenant's admin API. */
interface DeniedCredential {
  readonly label: string;
  readonly target: Tenant;
  /** The `Authorization` header (undefined: none). */
  readonly header: (keys: DemoAdminKeys) => string | undefined;
  readonly status: 401 | 403;
}

const basic = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;

// The malformed variants carry acme's key at globex: were they parsed, the answer would be 403.
const DENIED: readonly DeniedCredential[] = [
  { label: 'no Authorization', target: 'globex', header: () => undefined, status: 401 },
  { label: 'Bearer without a key', target: 'globex', header: () => 'Bearer', status: 401 },
  { label: 'no space', target: 'globex', header: (k) => `Bearer${k.acme}`, status: 401 },
  { label: 'two keys', target: 'globex', header: (k) => `Bearer ${k.acme} ${k.acme}`, status: 401 },
  {
    label: 'unknown key',
    target: 'globex',
    header: () => `Bearer test_${'x'.repeat(24)}`,
    status: 401,
  },
  {
    label: 'Basic user:key',
    target: 'globex',
    header: (k) => basic(`admin:${k.acme}`),
    status: 401,
  },
  { label: 'Basic with the key', target: 'globex', header: (k) => `Basic ${k.acme}`, status: 401 },
  { label: "acme's key", target: 'globex', header: (k) => `Bearer ${k.acme}`, status: 403 },
  { label: "globex's key", target: 'acme', header: (k) => `Bearer ${k.globex}`, status: 403 },
];

describe.each(DEMO_PLATFORMS)(
  'admin API: every route is closed to other tenants and bad credentials (%s)',
  (platform) => {
    const demo = new DemoHarness({ platform });
    const seeds = {} as Record<Tenant, SeededTenant>;
    let before: string;

    /** Every token row's state, the audit trail's length and the SFS calls so far. */
    const snapshot = async () =>
      JSON.stringify([
        await demo.rows('SELECT id, status, version FROM sfs_client_token ORDER BY id'),
        await demo.rows('SELECT count(*) AS n FROM sfs_token_event'),
        demo.sandbox.calls().length,
      ]);

    beforeAll(async () => {
      await demo.start(`e2e_admin_authz_${platform}`);
      seeds.acme = await seedTenant(demo, 'acme');
      seeds.globex = await seedTenant(demo, 'globex');
      before = await snapshot();
    });
    afterAll(() => demo.close());

    describe.each(ADMIN_ROUTES)('$method $path', (route) => {
      it.each(DENIED)('$label on $target → $status', async (credential) => {
        const target = seeds[credential.target];
        const response = await sendAdmin(demo, {
          method: route.method,
          url: routeUrl(route, credential.target, target.tokenIds[0]),
          authorization: credential.header(demo.keys),
          body: route.body,
        });
        expect(response.status).toBe(credential.status);
        expect(errorBodyProblem(response)).toBeNull();
        expect(foreignData([target], null, response.text)).toEqual([]);
      });
    });

    it('the denied requests changed no row and made no SFS call', async () => {
      expect(await snapshot()).toBe(before);
    });

    describe("another tenant's token is simply not found (no existence leak)", () => {
      it.each(ADMIN_ROUTES.filter((r) => r.oneToken))('$method $path', async (route) => {
        const globexId = seeds.globex.tokenIds[0];
        const randomId = randomUUID();
        const ask = (id: string) =>
          sendAdmin(demo, {
            method: route.method,
            url: routeUrl(route, 'acme', id),
            authorization: `Bearer ${demo.keys.acme}`,
          });
        const [foreign, unknown] = [await ask(globexId), await ask(randomId)];
        expect([foreign.status, unknown.status]).toEqual([404, 404]);
        expect(errorBodyProblem(foreign)).toBeNull();
        expect(foreign.text.replace(globexId, '<id>')).toBe(unknown.text.replace(randomId, '<id>'));
        expect(foreignData([seeds.globex], 'acme', foreign.text, globexId)).toEqual([]);
      });

      it("filters naming globex's client or subject find nothing in acme", async () => {
        for (const query of ['clientKey=globex-billing', 'subjectId=globex-alice']) {
          const response = await sendAdmin(demo, {
            method: 'get',
            url: routeUrl(adminRoute('list'), 'acme', '', query),
            authorization: `Bearer ${demo.keys.acme}`,
          });
          expect(response.status).toBe(200);
          expect(response.body).toEqual({ items: [], nextCursor: null });
        }
      });

      it("globex's tokens are still active", async () => {
        const rows = await demo.rows<{ status: string }>(
          "SELECT status FROM sfs_client_token WHERE tenant_id = 'globex'",
        );
        expect(rows.map((r) => r.status)).toEqual(['active', 'active', 'active']);
      });
    });

    describe.each([
      ['*', 'acme'],
      ['*', 'globex'],
      ['acme', 'acme'],
      ['globex', 'globex'],
    ] as const)('the %s key administers %s', (key, tenant) => {
      let fresh = 0;
      /** A token of its own for each allowed call on one token (refresh and revoke change it). */
      const freshToken = async () => {
        const minted = await demo.http
          .post(routeUrl(adminRoute('mint'), tenant))
          .set(demo.auth('all'))
          .send({
            clientKey: 'authz-allowed',
            subjectId: `${key === '*' ? 'all' : key}-${fresh++}`,
          })
          .expect(201);
        return minted.body.id as string;
      };

      it.each(ADMIN_ROUTES)('$method $path', async (route) => {
        const response = await sendAdmin(demo, {
          method: route.method,
          url: routeUrl(route, tenant, route.oneToken ? await freshToken() : ''),
          authorization: `Bearer ${demo.keys[key === '*' ? 'all' : key]}`,
          body: route.body,
        });
        expect([200, 201]).toContain(response.status);
        const tenants = [...response.text.matchAll(/"tenantId":"([^"]*)"/g)].map((m) => m[1]);
        expect(tenants.every((t) => t === tenant)).toBe(true);
        expect(foreignData(Object.values(seeds), tenant, response.text)).toEqual([]);
      });
    });
  },
);
