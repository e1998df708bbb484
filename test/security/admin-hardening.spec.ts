import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { DEMO_PLATFORMS, DemoHarness } from '../e2e/support/demo-harness';
import { seedTenant } from '../e2e/support/tenant-seed';
import { CapturingLogger } from './support/log-capture';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: { statusCode?: number; code?: string; field?: string; message?: string };
}

interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as given; with `chunked`, in 1 KiB chunks without a Content-Length. */
  body?: Buffer | string;
  chunked?: boolean;
  /** Another loopback address is another client. */
  localAddress?: string;
}

/** A request as an attacker sends it: raw bytes, chunked or compressed, from a chosen address. */
function send(port: number, req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const headers: Record<string, string> = { ...req.headers };
    if (body && !req.chunked) headers['content-length'] = String(body.length);
    const call = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: req.method ?? 'POST',
        path: req.path,
        headers,
        localAddress: req.localAddress,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: RawResponse['body'];
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = { message: text };
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed });
        });
      },
    );
    // An early answer (413) may close the socket while we still write: the answer is what counts.
    call.on('error', reject);
    if (body && req.chunked) {
      for (let i = 0; i < body.length; i += 1024) call.write(body.subarray(i, i + 1024));
    } else if (body) call.write(body);
    call.end();
  });
}

/**
 * Every request of `paths` written on one HTTP/1.1 connection at once (pipelined), from
 * `localAddress`; resolves the status of each answer, in order.
 */
function pipeline(
  port: number,
  requests: { path: string; authorization: string }[],
  localAddress: string,
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    let text = '';
    const statuses = () => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (statuses().length >= requests.length) {
        socket.destroy();
        resolve(statuses());
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(statuses()));
    socket.write(
      requests
        .map(
          (r) =>
            `GET ${r.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${r.authorization}\r\n\r\n`,
        )
        .join(''),
    );
  });
}

const nestedJson = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const JSON_TYPE = { 'content-type': 'application/json' };

describe.each(DEMO_PLATFORMS)(
  'admin API hardening: hostile bodies get a 4xx before parsing, key guessing is throttled (%s)',
  (platform) => {
    const logs = new CapturingLogger();
    const demo = new DemoHarness({ logger: logs, adminAuthFailureLimit: 20, platform });
    let port: number;
    const acme = '/sfs/admin/tenants/acme';

    beforeAll(async () => {
      await demo.start(`security_hardening_${platform}`);
      await demo.app.listen(0, '127.0.0.1');
      port = (demo.app.getHttpServer().address() as { port: number }).port;
    });
    afterAll(() => demo.close());

    const auth = () => ({ authorization: `Bearer ${demo.keys.acme}` });

    it('6000 levels of nested JSON, chunked, with no credentials: 413 before parsing, not a 500', async () => {
      const answer = await send(port, {
        path: `${acme}/tokens`,
        headers: JSON_TYPE,
        body: nestedJson(6000),
        chunked: true,
      });
      // 6000 levels is over 4 KiB: the byte limit answers first, before any parsing.
      expect(answer.status).toBe(413);
      expect(answer.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('1800 levels under 4 KiB, with a key: 400 naming the body', async () => {
      const body = '['.repeat(1800) + ']'.repeat(1800);
      expect(body.length).toBeLessThan(4096);
      const answer = await send(port, {
        path: `${acme}/tokens`,
        headers: { ...JSON_TYPE, ...auth() },
        body,
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'INVALID_INPUT', field: 'body' });
    });

    it('the demo login with 1800 levels: 400 from the validation pipe, not a 500', async () => {
      const body = `{"tenantId":"acme","clientKey":"c","userId":${'['.repeat(1800)}${']'.repeat(1800)}}`;
      const answer = await send(port, { path: '/demo/login', headers: JSON_TYPE, body });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('INVALID_INPUT');
    });

    it.each(['/demo/login', '//demo/login', '///demo//login'])(
      'a broken body at %p gets the admin error shape, however many slashes',
      async (path) => {
        const answer = await send(port, { path, headers: JSON_TYPE, body: '{"tenantId":' });
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(answer.body).toMatchObject({ statusCode: answer.status });
        expect(typeof answer.body.code).toBe('string');
      },
    );

    it('a NUL in the bulk revoke reason: 400 naming `reason`', async () => {
      const answer = await send(port, {
        path: `${acme}/tokens/revoke`,
        headers: { ...JSON_TYPE, ...auth() },
        body: JSON.stringify({ subjectId: 'nobody', reason: 'a\u0000b' }),
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    });

    it('90 KB sent gzip-compressed: 415 before a byte is inflated', async () => {
      const big = JSON.stringify({ clientKey: 'c', padding: 'x'.repeat(90_000) });
      const answer = await send(port, {
        path: `${acme}/tokens`,
        headers: { ...JSON_TYPE, ...auth(), 'content-encoding': 'gzip' },
        body: gzipSync(big),
      });
      expect(answer.status).toBe(415);
      expect(answer.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('90 KB sent chunked (no Content-Length): 413 once 4 KiB have arrived', async () => {
      const answer = await send(port, {
        path: `${acme}/tokens/revoke`,
        headers: { ...JSON_TYPE, ...auth() },
        // Whitespace: small once parsed, so only a limit on the bytes as sent can refuse it.
        body: `{"subjectId":"nobody"${' '.repeat(90_000)}}`,
        chunked: true,
      });
      expect(answer.status).toBe(413);
    });

    it('the same limits under /SFS/Admin/... (Express ignores case), in the admin error shape', async () => {
      const upper = '/SFS/Admin/tenants/acme/tokens';
      const big = await send(port, {
        path: upper,
        headers: { ...JSON_TYPE, ...auth() },
        body: 'x'.repeat(5000),
      });
      expect(big.status).toBe(413);
      const unknown = await send(port, { method: 'GET', path: '/SFS/ADMIN/nowhere' });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });

    it("audit event ids and cursors say nothing of other tenants' activity", async () => {
      await seedTenant(demo, 'acme');
      const page = async (tenant: string, query: string) =>
        (await demo.http.get(`/sfs/admin/tenants/${tenant}/events?${query}`).set(demo.auth('all')))
          .body as { items: { id: string }[]; nextCursor: string | null };
      const first = await page('acme', 'limit=2');
      const all = await page('acme', 'limit=100');
      expect(all.items.length).toBeGreaterThanOrEqual(3);
      for (const event of all.items) expect(event.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      // Stable across calls, and the cursor's readable part holds no row number.
      expect((await page('acme', 'limit=2')).items).toEqual(first.items);
      const readable = JSON.parse(
        Buffer.from(first.nextCursor!.split('.')[0], 'base64url').toString('utf8'),
      ) as { p: unknown };
      expect(typeof readable.p).toBe('string');
      expect(readable.p).not.toMatch(/^\d+$/);
      expect((readable.p as string).length).toBeGreaterThan(28);
      // Another tenant's activity between two pages changes nothing of what acme sees.
      await seedTenant(demo, 'globex');
      const second = await page(
        'acme',
        `limit=100&cursor=${encodeURIComponent(first.nextCursor!)}`,
      );
      expect([...first.items, ...second.items]).toEqual(all.items);
      // A cursor of acme's is refused for globex.
      const misused = await demo.http
        .get(`/sfs/admin/tenants/globex/events?cursor=${encodeURIComponent(first.nextCursor!)}`)
        .set(demo.auth('all'));
      expect(misused.status).toBe(400);
    });

    it('admin answers, errors included, are no-store with no ETag, and If-None-Match never gets a 304', async () => {
      const first = await demo.http.get(`${acme}/summary`).set(demo.auth('acme')).expect(200);
      const again = await demo.http
        .get(`${acme}/summary`)
        .set(demo.auth('acme'))
        .set('If-None-Match', String(first.headers.etag ?? '*'))
        .set('If-Modified-Since', new Date(Date.now() + 86_400_000).toUTCString());
      const refused = await demo.http.get(`${acme}/summary`);
      const tooLarge = await send(port, {
        path: `${acme}/tokens`,
        headers: JSON_TYPE,
        body: 'x'.repeat(5000),
      });
      expect(again.status).toBe(200);
      for (const headers of [first.headers, again.headers, refused.headers, tooLarge.headers]) {
        expect(headers['cache-control']).toBe('no-store');
        expect(headers.etag).toBeUndefined();
        expect(headers['x-powered-by']).toBeUndefined();
      }
      expect(refused.status).toBe(401);
      expect(tooLarge.status).toBe(413);
    });

    it("the demo's /health without credentials says up or down only: no path, port or count", async () => {
      await demo.http
        .post('/demo/login')
        .send({ tenantId: 'acme', clientKey: 'health', userId: 'hana' })
        .expect(200);
      const health = await demo.http.get('/health').expect(200);
      expect(health.body).toEqual({ status: 'ok', db: 'up', sfs: 'sandbox' });
    });

    it("the demo's /docs serves the page and the files it loads, nothing else of swagger-ui-dist", async () => {
      const page = await demo.http.get('/docs').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const loaded = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(loaded.sort()).toEqual([
        '/docs/ui/favicon-32x32.png',
        '/docs/ui/init.js',
        '/docs/ui/swagger-ui-bundle.js',
        '/docs/ui/swagger-ui.css',
      ]);
      for (const path of loaded) {
        const asset = await send(port, { method: 'GET', path });
        expect([path, asset.status]).toEqual([path, 200]);
        expect(String(asset.headers['content-type'])).toMatch(
          /^(text\/(css|javascript)|image\/png)/,
        );
      }
      await demo.http.get('/docs/openapi.json').expect(200);
      for (const path of [
        '/docs/package.json',
        '/docs/ui/package.json',
        '/docs/ui/swagger-ui-bundle.js.map',
        '/docs/ui/swagger-ui.css.map',
        '/docs/ui/index.html',
        '/docs/ui/..%2Fpackage.json',
        '/docs/swagger-ui-bundle.js',
        '/docs/ui/constructor',
        '/docs/ui/__proto__',
      ]) {
        const answer = await send(port, { method: 'GET', path });
        expect([path, answer.status]).toEqual([path, 404]);
      }
    });

    it.each(['.', '..', '%2E', '%2e%2E'])(
      'tenant id %p (dots only) is refused with 400 naming tenantId, even with the * key',
      async (tenant) => {
        const answer = await send(port, {
          method: 'GET',
          path: `/sfs/admin/tenants/${tenant}/summary`,
          headers: { authorization: `Bearer ${demo.keys.all}` },
        });
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ code: 'INVALID_INPUT', field: 'tenantId' });
      },
    );

    it('400 wrong keys pipelined on one connection: at most 20 get 401, the right key after them 429', async () => {
      const wrong = Array.from({ length: 400 }, (_, i) => ({
        path: `${acme}/tokens`,
        authorization: `Bearer pipelined-key-${String(i).padStart(12, '0')}`,
      }));
      const right = { path: `${acme}/tokens`, authorization: auth().authorization };
      const statuses = await pipeline(port, [...wrong, right], '127.0.0.3');
      expect(statuses).toHaveLength(401);
      const unauthorized = statuses.filter((s) => s === 401).length;
      expect(unauthorized).toBeGreaterThan(0);
      expect(unauthorized).toBeLessThanOrEqual(20);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      expect(statuses[400]).toBe(429);
      demo.clock.advance(60_000);
    });

    it('300 wrong keys in a burst get 429 with Retry-After after 20; another client is unaffected', async () => {
      const tries: RawResponse[] = [];
      for (let i = 0; i < 300; i++) {
        tries.push(
          await send(port, {
            method: 'GET',
            path: `${acme}/tokens`,
            headers: { authorization: `Bearer wrong-key-${String(i).padStart(12, '0')}` },
          }),
        );
      }
      const statuses = tries.map((t) => t.status);
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
      expect(Number(tries[299].headers['retry-after'])).toBeGreaterThanOrEqual(59);
      expect(tries[299].body.code).toBe('ADMIN_THROTTLED');

      // The right key from the throttled client waits too (a correct guess must look the same)...
      const same = await send(port, { method: 'GET', path: `${acme}/tokens`, headers: auth() });
      expect(same.status).toBe(429);
      // ...while the right key from another client works.
      const other = await send(port, {
        method: 'GET',
        path: `${acme}/tokens`,
        headers: auth(),
        localAddress: '127.0.0.2',
      });
      expect(other.status).toBe(200);

      // One log line for the window, with the client and tenant, never a key.
      const lines = logs.lines.filter(
        (l) => l.includes('admin authentication') && l.includes('client 127.0.0.1 '),
      );
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/client (::ffff:)?127\.0\.0\.1 failed 20 times .*tenant acme/);
      expect(logs.lines.some((l) => l.includes('wrong-key-') || l.includes(demo.keys.acme))).toBe(
        false,
      );

      // The window slides on the module's clock: a minute later the client may try again.
      demo.clock.advance(60_000);
      const later = await send(port, { method: 'GET', path: `${acme}/tokens`, headers: auth() });
      expect(later.status).toBe(200);
    });

    it("22 source addresses x 19 wrong keys: none is throttled, the tenant's alarm is raised once (log and metric)", async () => {
      const metric = async () =>
        Number(
          /^sfs_auth_admin_auth_alarms_total (\d+)$/m.exec(
            (await demo.http.get('/metrics').expect(200)).text,
          )?.[1],
        );
      const before = await metric();
      const statuses: number[] = [];
      for (let a = 0; a < 22; a++) {
        const address = `127.0.0.${40 + a}`;
        const wrong = Array.from({ length: 19 }, (_, i) => ({
          path: `/sfs/admin/tenants/globex/tokens`,
          authorization: `Bearer spread-key-${a}-${String(i).padStart(10, '0')}`,
        }));
        statuses.push(...(await pipeline(port, wrong, address)));
      }
      expect(statuses).toHaveLength(418);
      expect(statuses.every((s) => s === 401)).toBe(true);
      const alarms = logs.lines.filter((l) => l.includes('alarm: tenant globex'));
      expect(alarms).toHaveLength(1);
      expect(alarms[0]).toMatch(/had 100 failed attempts from 6 client\(s\) within 60 s/);
      expect(await metric()).toBe(before + 1);
      // An alert, never a lockout: the tenant's admin still gets in from a fresh address.
      const admin = await send(port, {
        method: 'GET',
        path: '/sfs/admin/tenants/globex/tokens',
        headers: { authorization: `Bearer ${demo.keys.globex}` },
        localAddress: '127.0.0.90',
      });
      expect(admin.status).toBe(200);
      demo.clock.advance(60_000);
    });
  },
);

describe.each(DEMO_PLATFORMS)(
  'admin API throttle with an async authorizer (keys looked up in a store), parallel connections (%s)',
  (platform) => {
    const demo = new DemoHarness({ platform });
    let port: number;
    let lookups = 0;
    /** A host authorizer that takes 30 ms to look a key up, as one backed by a database would. */
    const slowAuthorizer = {
      async authorize(request: { headers: Record<string, string | string[] | undefined> }) {
        lookups += 1;
        await new Promise((resolve) => setTimeout(resolve, 30));
        return request.headers.authorization === 'Bearer the-one-right-key-0001'
          ? { allowed: true as const, actor: 'admin:db:1' }
          : { allowed: false as const, reason: 'unauthenticated' as const };
      },
    };

    beforeAll(async () => {
      await demo.start(`security_async_authz_${platform}`, 'forRootAsync', {
        admin: { authorizer: slowAuthorizer, authFailureLimit: 20 },
      });
      await demo.app.listen(0, '127.0.0.1');
      port = (demo.app.getHttpServer().address() as { port: number }).port;
    });
    afterAll(() => demo.close());

    it('200 wrong keys on 200 parallel connections: at most 20 reach the authorizer or get 401', async () => {
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          send(port, {
            method: 'GET',
            path: '/sfs/admin/tenants/acme/tokens',
            headers: { authorization: `Bearer parallel-wrong-key-${String(i).padStart(8, '0')}` },
            localAddress: '127.0.0.7',
          }),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(20);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(180);
      expect(lookups).toBeLessThanOrEqual(20);
      // The right key from the same client now waits like any guess...
      const right = { authorization: 'Bearer the-one-right-key-0001' };
      const same = await send(port, {
        method: 'GET',
        path: '/sfs/admin/tenants/acme/tokens',
        headers: right,
        localAddress: '127.0.0.7',
      });
      expect(same.status).toBe(429);
      // ...and gets in from another client.
      const other = await send(port, {
        method: 'GET',
        path: '/sfs/admin/tenants/acme/tokens',
        headers: right,
        localAddress: '127.0.0.8',
      });
      expect(other.status).toBe(200);
    });
  },
);
