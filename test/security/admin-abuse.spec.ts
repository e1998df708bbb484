import { nextCursor, sendAdmin } from '../e2e/support/admin-api';
import { DEMO_PLATFORMS, DemoHarness } from '../e2e/support/demo-harness';
import { findNeedles, tokenNeedles } from '../e2e/support/needles';
import { recordResponses, type RecordedResponse } from '../e2e/support/response-recorder';
import { seedTenant } from '../e2e/support/tenant-seed';
import { judge, type Violation } from './support/abuse-judge';
import { hostileRequests, type AbuseTargets } from './support/hostile-requests';
import { SeededRandom } from './support/seeded-random';

const SEED = 0x5eed_ab05;
const REQUESTS = 630;

describe.each(DEMO_PLATFORMS)(
  'admin API under abuse (seeded hostile requests) (%s)',
  (platform) => {
    const demo = new DemoHarness({ platform });
    let targets: AbuseTargets;
    let responses: RecordedResponse[];

    beforeAll(async () => {
      await demo.start(`security_abuse_${platform}`);
      const seeds = [await seedTenant(demo, 'acme'), await seedTenant(demo, 'globex')] as const;
      const cursors: string[] = [];
      for (const tenant of ['acme', 'globex'] as const) {
        for (const page of [
          '/tokens?limit=1',
          '/tokens?limit=1&status=active',
          '/events?limit=1',
        ]) {
          cursors.push(await nextCursor(demo, tenant, page));
        }
      }
      targets = { keys: demo.keys, seeds, cursors };
      // Recorded from here: the seeding's demo logins answer with their tokens, by design.
      responses = recordResponses(demo.app.getHttpServer());
    });
    afterAll(() => demo.close());

    it('the judge is not blind: it flags a 5xx, a let-in forged key and leaked tenant data', () => {
      const [acme, globex] = targets.seeds;
      const request = { family: 'self-check', method: 'get', url: '/x', tenant: 'acme' } as const;
      const leak = { status: 200, body: {}, headers: {}, text: `{"id":"${globex.tokenIds[0]}"}` };
      const kinds = (v: Violation[]) => v.map((x) => x.kind);
      expect(kinds(judge({ ...request, caller: 'acme' }, leak, targets.seeds))).toEqual([
        'cross-tenant',
      ]);
      expect(
        kinds(judge({ ...request, caller: 'forged' }, { ...leak, text: '{}' }, [acme])),
      ).toEqual(['cross-tenant', 'guard']);
      const crash = { status: 500, body: { message: 'x' }, headers: {}, text: '' };
      expect(kinds(judge({ ...request, caller: 'acme' }, crash, [acme]))).toEqual([
        '5xx',
        'error-body',
      ]);
    });

    it(`answers ${REQUESTS} hostile requests: no 5xx, no other tenant's data, no token`, async () => {
      const requests = hostileRequests(new SeededRandom(SEED), targets, REQUESTS);
      const violations: Violation[] = [];
      const histogram: Record<number, number> = {};
      for (const request of requests) {
        const response = await sendAdmin(demo, request);
        histogram[response.status] = (histogram[response.status] ?? 0) + 1;
        violations.push(...judge(request, response, targets.seeds));
      }
      const tokens = findNeedles(
        tokenNeedles(demo.sandbox.issuedTokens()),
        responses.map((r) => ({ where: `${r.method} ${r.url}`, text: r.headers + r.body })),
      );
      const count = (kind: Violation['kind']) => violations.filter((v) => v.kind === kind).length;
      console.log(
        `abuse: ${requests.length} requests, ${count('5xx')} 5xx, ${count('cross-tenant')} ` +
          `cross-tenant, ${tokens.length} tokens, ${count('error-body')} bad error bodies, ` +
          `${count('guard')} forged keys let in, status histogram ${JSON.stringify(histogram)}`,
      );
      expect(requests.length).toBeGreaterThanOrEqual(500);
      expect(responses).toHaveLength(requests.length);
      expect(tokens).toEqual([]);
      expect(violations.map((v) => `${v.kind}: ${v.detail}`)).toEqual([]);
    }, 120_000);
  },
);
