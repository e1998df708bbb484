import { randomUUID } from 'node:crypto';
import {
  adminRoute,
  nextCursor,
  routeUrl,
  sendAdmin,
  type AdminRouteName,
} from './support/admin-api';
import { errorBodyProblem } from './support/admin-errors';
import { INPUT_CASES, type Cursors } from './support/admin-input.cases';
import { DEMO_PLATFORMS, DemoHarness } from './support/demo-harness';
import { findNeedles, tokenNeedles } from './support/needles';
import { recordResponses, type RecordedResponse } from './support/response-recorder';
import { seedTenant } from './support/tenant-seed';

const q = encodeURIComponent;

describe.each(DEMO_PLATFORMS)(
  'admin API: malformed input is a 4xx naming the field, never a 5xx or a token (%s)',
  (platform) => {
    const demo = new DemoHarness({ platform });
    const cursors = {} as Cursors;
    let responses: RecordedResponse[];
    let before: string;

    const state = async () =>
      JSON.stringify([
        await demo.rows('SELECT id, status, version FROM sfs_client_token ORDER BY id'),
        demo.sandbox.calls().length,
      ]);

    beforeAll(async () => {
      await demo.start(`e2e_admin_input_${platform}`);
      await seedTenant(demo, 'acme');
      await seedTenant(demo, 'globex');
      cursors.acmeTokens = await nextCursor(demo, 'acme', '/tokens?limit=1');
      cursors.acmeActiveTokens = await nextCursor(demo, 'acme', '/tokens?limit=1&status=active');
      cursors.acmeEvents = await nextCursor(demo, 'acme', '/events?limit=1');
      cursors.globexTokens = await nextCursor(demo, 'globex', '/tokens?limit=1');
      cursors.globexEvents = await nextCursor(demo, 'globex', '/events?limit=1');
      // Recorded from here: the seeding's demo login answers with its token, by design.
      responses = recordResponses(demo.app.getHttpServer());
      before = await state();
    });
    afterAll(() => demo.close());

    it('accepts a cursor on the query it was issued for (the cursor cases are not vacuous)', async () => {
      const url = routeUrl(
        adminRoute('list'),
        'acme',
        '',
        `limit=1&cursor=${q(cursors.acmeTokens)}`,
      );
      const page = await demo.http.get(url).set(demo.auth('acme')).expect(200);
      expect(page.body.items).toHaveLength(1);
    });

    describe.each(Object.entries(INPUT_CASES))('%s', (name, cases) => {
      const route = adminRoute(name as AdminRouteName);
      it.each(cases)('$label → $status', async (input) => {
        const query = typeof input.query === 'function' ? input.query(cursors) : input.query;
        const tokenId = input.tokenId ?? randomUUID();
        const response = await sendAdmin(demo, {
          method: route.method,
          url: routeUrl(route, input.tenant ?? 'acme', tokenId, query),
          authorization: `Bearer ${demo.keys.all}`,
          body: input.body,
          contentType: input.contentType,
        });
        expect(errorBodyProblem(response)).toBeNull();
        expect(response.status).toBe(input.status);
        if (input.field !== undefined) expect(response.body.field).toBe(input.field);
      });
    });

    it('the rejected requests minted, refreshed and revoked nothing', async () => {
      expect(await state()).toBe(before);
    });

    it('no response carried a token the sandbox issued', () => {
      const count = Object.values(INPUT_CASES).reduce((n, cases) => n + cases.length, 0);
      expect(responses.length).toBeGreaterThan(count);
      const tokens = tokenNeedles(demo.sandbox.issuedTokens());
      expect(tokens.length).toBeGreaterThanOrEqual(7);
      const bodies = responses.map((r) => ({
        where: `${r.method} ${r.url}`,
        text: r.headers + r.body,
      }));
      expect(findNeedles(tokens, bodies)).toEqual([]);
    });
  },
);
