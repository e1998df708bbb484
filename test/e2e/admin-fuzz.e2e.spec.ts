import fc from 'fast-check';
import { anyText, fuzzRuns } from '../support/fuzz';
import {
  adminPrefix,
  adminRoute,
  routeUrl,
  sendAdmin,
  type AdminRouteName,
} from './support/admin-api';
import { errorBodyProblem } from './support/admin-errors';
import { DEMO_PLATFORMS, DemoHarness } from './support/demo-harness';
import { findNeedles, tokenNeedles } from './support/needles';
import { recordResponses, type RecordedResponse } from './support/response-recorder';
import { seedTenant } from './support/tenant-seed';

/** Runs per route and platform (FUZZ_RUNS for a longer local run). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);

/** Whether `encodeURIComponent` takes it (a lone surrogate is refused). */
const encodable = (text: string): boolean => {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

/** Characters Node's HTTP client sends as they are in a path (it refuses the rest). */
const rawChars = fc.oneof(
  fc.constantFrom(...'abcXYZ019._~-!$\'()*+,;:@/?[]{}|^`"<>\\#'.split('')),
  fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
);
/** Percent-encoding, valid or not: overlong, truncated or invalid UTF-8, NUL, bare `%`. */
const percentGarbage = fc.constantFrom(
  '%',
  '%%',
  '%G1',
  '%2',
  '%00',
  '%C0%AF',
  '%E2%82',
  '%FF%FE',
  '%ED%A0%80',
  '%F4%90%80%80',
  '%26',
  '%3D',
  '%5B%5D',
);

/** One key or value of a query string, as a client (or an attacker) writes it. */
function queryPart(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...known).map(encodeURIComponent),
    anyText(30).filter(encodable).map(encodeURIComponent),
    fc.string({ unit: rawChars, maxLength: 20 }).map((s) => s.replace(/[#&=%]/g, '')),
    fc
      .array(
        fc.oneof(
          percentGarbage,
          fc.string({ unit: rawChars, maxLength: 3 }).map(encodeURIComponent),
        ),
        {
          maxLength: 4,
        },
      )
      .map((parts) => parts.join('')),
  );
}

const KEYS = [
  'limit',
  'cursor',
  'status',
  'clientKey',
  'subjectId',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'status[]',
  'limit[0]',
  'a[b]',
  'cursor.x',
  '',
];
/** Values that mean something to one parameter or another, and numbers no parser expects. */
const VALUES = [
  '1',
  '20',
  '100',
  '0',
  '-1',
  '1.5',
  '1e3',
  '1e400',
  '0x10',
  ' 5',
  '99999999999999999999999999999999',
  String(Number.MAX_SAFE_INTEGER + 2),
  'NaN',
  'Infinity',
  'active',
  'revoked',
  'pending',
  'failed',
  'ACTIVE',
  'acme-billing',
  'acme-bob',
  'a'.repeat(128),
  'a'.repeat(129),
  'true',
  'null',
  '',
];

/** A whole query string: any pairs, repeated keys, keys without `=`, stray `&`, issued cursors. */
function queryString(cursors: () => readonly string[]): fc.Arbitrary<string> {
  const pair = fc.oneof(
    fc.tuple(queryPart(KEYS), queryPart(VALUES)).map(([k, v]) => `${k}=${v}`),
    queryPart(KEYS),
    fc.constant(''),
    fc.constantFrom(...cursors()).map((c) => `cursor=${encodeURIComponent(c)}`),
    fc.nat({ max: 3 }).map((n) => `limit=${[1, 100, 5, 50][n]}`),
  );
  return fc
    .array(pair, { maxLength: 6 })
    .chain((pairs) =>
      fc.oneof(
        fc.constant(pairs.join('&')),
        fc.constant(pairs.join('&&')),
        fc.constant(`&${pairs.join('&')}&`),
      ),
    );
}

/** JSON bodies: any JSON, the route's fields with values of every type, deep, long or large. */
function jsonBody(
  fields: readonly string[],
  tokenIds: () => readonly string[],
): fc.Arbitrary<unknown> {
  const fieldValue = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    anyText(40),
    fc.constantFrom('acme-billing', 'acme-bob', 'fuzz-client', 'x'.repeat(201), 'x'.repeat(128)),
    fc.constantFrom(...tokenIds()),
    fc.uuid(),
    fc.boolean(),
    fc.integer(),
    fc.constantFrom(1e308, -0, 2 ** 53 + 1),
  );
  const shaped = fc.dictionary(
    fc.oneof(
      fc.constantFrom(...fields, 'tenantId', 'admin', 'dryRun', '__proto__', 'constructor'),
      anyText(10),
    ),
    fieldValue,
    { maxKeys: 4 },
  );
  return fc.oneof(
    { weight: 4, arbitrary: shaped },
    fc.jsonValue({ maxDepth: 4 }),
    fc.letrec<{ deep: unknown }>((tie) => ({
      deep: fc.oneof(
        { depthSize: 'small' },
        fc.constant(1),
        fc.array(tie('deep'), { maxLength: 1 }),
        fc.record({ a: tie('deep') }),
      ),
    })).deep,
    fc.string({ minLength: 1000, maxLength: 6000 }).map((text) => ({ [fields[0]]: text })),
  );
}

/** A body as sent: JSON of a value, or text that may not be JSON at all (sent as JSON). */
function body(
  fields: readonly string[],
  tokenIds: () => readonly string[],
): fc.Arbitrary<{ text: string }> {
  return fc.oneof(
    {
      weight: 5,
      arbitrary: jsonBody(fields, tokenIds).map((value) => ({
        text: JSON.stringify(value) ?? 'null',
      })),
    },
    anyText(60).map((text) => ({ text })),
    fc
      .constantFrom(
        '',
        '{',
        '{"a":1',
        '[',
        'null',
        '"x"',
        '1',
        '{"a":1}{"b":2}',
        '\ufeff{}',
        '{"a":"\\u0000"}',
      )
      .map((text) => ({ text })),
  );
}

const GET_ROUTES: AdminRouteName[] = ['list', 'events', 'revocations', 'summary', 'access'];
const POST_ROUTES: Array<{ name: AdminRouteName; fields: string[] }> = [
  { name: 'mint', fields: ['clientKey', 'subjectId', 'reason'] },
  { name: 'refresh', fields: ['reason'] },
  { name: 'revokeWithReason', fields: ['reason'] },
  { name: 'bulkRevoke', fields: ['clientKey', 'subjectId', 'reason', 'dryRun'] },
  { name: 'retryRevocations', fields: ['tokenId', 'reason'] },
];

describe.each(DEMO_PLATFORMS)(
  'admin API under fuzzed input: a typed 4xx or a 2xx, never a 5xx (%s)',
  (platform) => {
    const demo = new DemoHarness({ platform });
    let cursors: string[] = [];
    let tokenIds: string[] = [];
    let responses: RecordedResponse[];

    beforeAll(async () => {
      await demo.start(`e2e_admin_fuzz_${platform}`);
      const seeded = await seedTenant(demo, 'acme');
      tokenIds = [...seeded.tokenIds];
      for (const path of [
        '/tokens?limit=1',
        '/tokens?limit=1&clientKey=acme-billing',
        '/events?limit=1',
      ]) {
        const page = await demo.http
          .get(`${adminPrefix('acme')}${path}`)
          .set(demo.auth('all'))
          .expect(200);
        cursors.push(page.body.nextCursor as string);
      }
      cursors = cursors.filter(Boolean);
      // Recorded from here: the seeding's demo login answers with its token, by design.
      responses = recordResponses(demo.app.getHttpServer());
    });
    afterAll(() => demo.close());

    /**
     * The contract of every answer: a 2xx with a JSON body, or the admin error shape with its code
     * (a request without a body is never told its body is wrong).
     */
    const answered = async (method: string, url: string, text?: string) => {
      const response = await sendAdmin(demo, {
        method,
        url,
        authorization: `Bearer ${demo.keys.all}`,
        ...(text === undefined ? {} : { body: text, contentType: 'application/json' }),
      });
      if (response.status >= 200 && response.status < 300) {
        expect(typeof response.body).toBe('object');
        return;
      }
      expect({
        status: response.status,
        problem: errorBodyProblem(response),
        body: response.body,
      }).toEqual({
        status: response.status,
        problem: null,
        body: response.body,
      });
      if (text === undefined) expect(response.body.field).not.toBe('body');
    };

    it.each(GET_ROUTES)('GET %s with any query string', async (name) => {
      const route = adminRoute(name);
      await fc.assert(
        fc.asyncProperty(
          queryString(() => cursors),
          async (query) => {
            await answered('get', routeUrl(route, 'acme', '', query));
          },
        ),
        fuzzRuns(RUNS),
      );
    });

    it.each(POST_ROUTES)('POST $name with any body', async ({ name, fields }) => {
      const route = adminRoute(name);
      await fc.assert(
        fc.asyncProperty(
          body(fields, () => tokenIds),
          fc.oneof(fc.constantFrom(...tokenIds), fc.uuid()),
          async ({ text }, tokenId) => {
            await answered('post', routeUrl(route, 'acme', tokenId), text);
          },
        ),
        fuzzRuns(RUNS),
      );
    });

    describe('regressions found by these properties', () => {
      it.each([
        // Shrunk counterexamples: both answered 400 with field `body` to a GET.
        ['/events?=', 'query must not have a key without a name'],
        ['/tokens?%00=1', 'query must not contain NUL characters'],
      ])('GET %s names the query, not a body', async (path, message) => {
        const response = await demo.http.get(`${adminPrefix('acme')}${path}`).set(demo.auth('all'));
        expect(errorBodyProblem(response)).toBeNull();
        expect(response.body).toEqual({
          statusCode: 400,
          code: 'INVALID_INPUT',
          field: 'query',
          message,
        });
      });

      it('an empty body sent as JSON reads as no body (Fastify answered a 400 of its own shape)', async () => {
        // Shrunk counterexample: POST /tokens, body "", Content-Type application/json.
        const response = await sendAdmin(demo, {
          method: 'post',
          url: routeUrl(adminRoute('mint'), 'acme'),
          authorization: `Bearer ${demo.keys.all}`,
          body: '',
          contentType: 'application/json',
        });
        expect(errorBodyProblem(response)).toBeNull();
        expect(response.body).toEqual({
          statusCode: 400,
          code: 'INVALID_INPUT',
          field: 'clientKey',
          message: expect.stringMatching(/^clientKey must be a string/),
        });
      });

      it('the next page of a 128-character tenant filtered by a 128-character client key opens', async () => {
        // Shrunk counterexample of the cursor codec's property: that cursor was over 512 characters.
        const tenant = 'a'.repeat(128);
        const clientKey = 'a'.repeat(128);
        for (const subjectId of [undefined, 'fuzz-subject']) {
          await demo.http
            .post(`${adminPrefix(tenant)}/tokens`)
            .set(demo.auth('all'))
            .send({ clientKey, subjectId })
            .expect(201);
        }
        const list = `${adminPrefix(tenant)}/tokens?limit=1&clientKey=${clientKey}`;
        const first = await demo.http.get(list).set(demo.auth('all')).expect(200);
        const cursor = first.body.nextCursor as string;
        expect(cursor.length).toBeGreaterThan(512);
        const next = await demo.http.get(`${list}&cursor=${cursor}`).set(demo.auth('all'));
        expect(next.status).toBe(200);
        expect(next.body.items).toHaveLength(1);
        expect(next.body.items[0].id).not.toBe(first.body.items[0].id);
      });
    });

    it('no answer carried a token the sandbox issued', () => {
      expect(responses.length).toBeGreaterThanOrEqual(
        RUNS * (GET_ROUTES.length + POST_ROUTES.length),
      );
      const bodies = responses.map((r) => ({
        where: `${r.method} ${r.url}`,
        text: r.headers + r.body,
      }));
      expect(findNeedles(tokenNeedles(demo.sandbox.issuedTokens()), bodies)).toEqual([]);
    });
  },
);
