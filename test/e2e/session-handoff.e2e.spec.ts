import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DEMO_PLATFORMS, DemoHarness } from './support/demo-harness';
import { SseClient } from './support/sse-client';

const urlOf = (app: INestApplication) =>
  `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;

/** The browser hand-off as the demo wires it: the demo_session cookie names the subject. */
describe.each(DEMO_PLATFORMS)('token hand-off to the browser (%s)', (platform) => {
  const demo = new DemoHarness({ platform });
  let base: string;
  let peer: INestApplication;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    await demo.start(`e2e_handoff_${platform}`);
    await demo.app.listen(0, '127.0.0.1');
    base = urlOf(demo.app);
    peer = await demo.startPeer();
    await peer.listen(0, '127.0.0.1');
  });
  afterEach(() => streams.splice(0).forEach((s) => s.stop()));
  afterAll(() => demo.close());

  const login = async (userId: string) => {
    const answer = await demo.http
      .post('/demo/login')
      .send({ tenantId: 'acme', clientKey: 'client-1', userId })
      .expect(200);
    const cookie = String(answer.headers['set-cookie']).split(';')[0];
    return { ...(answer.body as { tokenId: string; accessToken: string }), cookie };
  };
  const open = async (url: string, cookie?: string) => {
    const stream = await SseClient.open(url, cookie ? { cookie } : {});
    streams.push(stream);
    return stream;
  };

  it('without a signed-in user: 401, on the route and the stream', async () => {
    await demo.http.get('/sfs/session/token').expect(401);
    await demo.http.get('/sfs/session/token').set('Cookie', 'demo_session=forged.abc').expect(401);
    const stream = await open(`${base}/sfs/session/token/stream`);
    expect(stream.status).toBe(401);
  });

  it('a signed-in user gets the token the login returned, no-store, with renewAt before expiry', async () => {
    const alice = await login('handoff-alice');
    expect(alice.cookie).toMatch(/^demo_session=/);
    const answer = await demo.http
      .get('/sfs/session/token')
      .set('Cookie', alice.cookie)
      .expect(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.body.accessToken).toBe(alice.accessToken);
    const now = demo.clock.now();
    const renewAt = Date.parse(answer.body.renewAt);
    const expiresAt = Date.parse(answer.body.expiresAt);
    expect(renewAt).toBeGreaterThan(now);
    expect(renewAt).toBeLessThan(expiresAt);
    // Another instance serves the same token (one live token per key).
    const there = await request(peer.getHttpServer())
      .get('/sfs/session/token')
      .set('Cookie', alice.cookie)
      .expect(200);
    expect(there.body.accessToken).toBe(alice.accessToken);
  });

  it('the stream pushes the replacement after an admin refresh, and revoked after a logout elsewhere', async () => {
    const bob = await login('handoff-bob');
    // The stream is held by the peer; the refresh and the logout happen on the first instance.
    const stream = await open(`${urlOf(peer)}/sfs/session/token/stream`, bob.cookie);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    const first = await stream.next('token');
    expect((first.data as { accessToken: string }).accessToken).toBe(bob.accessToken);

    const asked = performance.now();
    const refreshed = await demo.http
      .post(`/sfs/admin/tenants/acme/tokens/${bob.tokenId}/refresh`)
      .set(demo.auth('acme'))
      .expect(200);
    const pushed = await stream.next('token', 1);
    expect(pushed.at - asked).toBeLessThan(2000);
    const replacement = (pushed.data as { accessToken: string }).accessToken;
    expect(replacement).not.toBe(bob.accessToken);
    expect(demo.sandbox.isTokenActive(replacement, 'client')).toBe(true);
    expect(refreshed.body.id).not.toBe(bob.tokenId);

    const loggedOut = performance.now();
    await demo.http
      .post('/demo/logout')
      .send({ tenantId: 'acme', userId: 'handoff-bob' })
      .expect(204);
    const revoked = await stream.next('revoked');
    expect(revoked.at - loggedOut).toBeLessThan(2000);
    expect(revoked.data).toEqual({ reason: 'demo logout' });
    // Never the token being replaced, and nothing after the end.
    expect(stream.events.filter((e) => e.type === 'token')).toHaveLength(2);
    // The peer counted its pushes (its /metrics); no token in any series.
    const metrics = (await request(peer.getHttpServer()).get('/metrics').expect(200)).text;
    const count = (event: string) =>
      Number(new RegExp(`sfs_auth_handoff_total\\{event="${event}"\\} (\\d+)`).exec(metrics)?.[1]);
    expect(count('pushed_token')).toBeGreaterThanOrEqual(2);
    expect(count('pushed_revoked')).toBeGreaterThanOrEqual(1);
    expect(count('stream_opened')).toBeGreaterThanOrEqual(1);
    expect(metrics).not.toContain(replacement);
  });

  it('bounds the streams of one user (429 past 5), and a subject never sees another one', async () => {
    const carol = await login('handoff-carol');
    const dave = await login('handoff-dave');
    const opened = await Promise.all(
      Array.from({ length: 5 }, () => open(`${base}/sfs/session/token/stream`, carol.cookie)),
    );
    expect(opened.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await open(`${base}/sfs/session/token/stream`, carol.cookie);
    expect(sixth.status).toBe(429);
    const daves = await open(`${base}/sfs/session/token/stream`, dave.cookie);
    const token = await daves.next('token');
    expect((token.data as { accessToken: string }).accessToken).toBe(dave.accessToken);
    expect(JSON.stringify(daves.events)).not.toContain(carol.accessToken);
    opened[0].stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await open(`${base}/sfs/session/token/stream`, carol.cookie);
    expect(again.status).toBe(200);
  });
});
