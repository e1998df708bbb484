import { DEMO_PLATFORMS, DemoHarness } from './support/demo-harness';

const ACME = '/sfs/admin/tenants/acme';

/** The admin API routes the console relies on: access, read-only keys, dry runs, the outbox. */
describe.each(DEMO_PLATFORMS)('admin API for the console (%s)', (platform) => {
  const demo = new DemoHarness({ platform });
  beforeAll(() =>
    demo.start(`e2e_console_api_${platform}`, 'forRootAsync', {
      workers: { enabled: false, revocationGiveUpSeconds: 60 },
    }),
  );
  afterAll(() => demo.close());

  const login = async (userId: string, clientKey = 'c-console') =>
    (await demo.http.post('/demo/login').send({ tenantId: 'acme', clientKey, userId }).expect(200))
      .body as { tokenId: string; accessToken: string };

  it('GET /access says what each key may do: act, offboard, or only read', async () => {
    const access = async (key: 'acme' | 'all' | 'acmeRead') =>
      (await demo.http.get(`${ACME}/access`).set(demo.auth(key)).expect(200)).body;
    expect(await access('acme')).toEqual({
      tenantId: 'acme',
      actor: expect.stringMatching(/^admin:key:acme#[0-9a-f]{8}$/),
      canAct: true,
      canOffboard: false,
    });
    expect(await access('all')).toMatchObject({ canAct: true, canOffboard: true });
    expect(await access('acmeRead')).toMatchObject({ canAct: false, canOffboard: false });
    await demo.http.get('/sfs/admin/tenants/globex/access').set(demo.auth('acmeRead')).expect(403);
    await demo.http.get(`${ACME}/access`).expect(401);
  });

  it('a read-only key reads everything of its tenant and changes nothing (403)', async () => {
    const alice = await login('ro-alice');
    await demo.http.get(`${ACME}/tokens`).set(demo.auth('acmeRead')).expect(200);
    await demo.http.get(`${ACME}/summary`).set(demo.auth('acmeRead')).expect(200);
    await demo.http.get(`${ACME}/revocations`).set(demo.auth('acmeRead')).expect(200);
    const refused = [
      demo.http.post(`${ACME}/tokens/${alice.tokenId}/revoke`).send({ reason: 'no' }),
      demo.http.delete(`${ACME}/tokens/${alice.tokenId}`),
      demo.http.post(`${ACME}/tokens`).send({ clientKey: 'ro' }),
      demo.http.post(`${ACME}/tokens/revoke`).send({ dryRun: true }),
      demo.http.post(`${ACME}/revocations/retry`).send({}),
      demo.http.delete(ACME).send({}),
    ];
    for (const call of refused) {
      const answer = await call.set(demo.auth('acmeRead'));
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ code: 'ADMIN_FORBIDDEN' });
    }
    const detail = await demo.http
      .get(`${ACME}/tokens/${alice.tokenId}`)
      .set(demo.auth('acmeRead'))
      .expect(200);
    expect(detail.body.status).toBe('active');
    const summary = await demo.http.get(`${ACME}/summary`).set(demo.auth('acmeRead')).expect(200);
    expect(summary.body.dataKey).toEqual({ version: 0, createdAt: expect.any(String) });
    expect(demo.sandbox.isTokenActive(alice.accessToken, 'client')).toBe(true);
  });

  it('a change sent by a page of another site is refused (Sec-Fetch-Site), a read is not', async () => {
    const carol = await login('csrf-carol');
    for (const site of ['cross-site', 'same-site', 'CROSS-SITE']) {
      const refused = await demo.http
        .post(`${ACME}/tokens/${carol.tokenId}/revoke`)
        .set(demo.auth('acme'))
        .set('Sec-Fetch-Site', site)
        .send({ reason: 'csrf' });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        code: 'ADMIN_FORBIDDEN',
        message: expect.stringMatching(/another site/),
      });
    }
    await demo.http
      .get(`${ACME}/tokens/${carol.tokenId}`)
      .set(demo.auth('acme'))
      .set('Sec-Fetch-Site', 'cross-site')
      .expect(200)
      .expect((r) => expect(r.body.status).toBe('active'));
    for (const site of ['same-origin', 'none']) {
      await demo.http
        .post(`${ACME}/tokens/revoke`)
        .set(demo.auth('acme'))
        .set('Sec-Fetch-Site', site)
        .send({ subjectId: 'csrf-carol', dryRun: true })
        .expect(200);
    }
  });

  it('mint, refresh and retry take a reason for the audit trail', async () => {
    const minted = await demo.http
      .post(`${ACME}/tokens`)
      .set(demo.auth('acme'))
      .send({ clientKey: 'c-reason', subjectId: 'rhea', reason: 'support ticket 42' })
      .expect(201);
    const refreshed = await demo.http
      .post(`${ACME}/tokens/${minted.body.id}/refresh`)
      .set(demo.auth('acme'))
      .send({ reason: 'suspected leak' })
      .expect(200);
    const events = await demo.rows<{ type: string; reason: string | null }>(
      'SELECT type, reason FROM sfs_token_event WHERE token_id = ANY($1) ORDER BY id',
      [[minted.body.id, refreshed.body.id]],
    );
    expect(events).toEqual([
      { type: 'issued', reason: 'support ticket 42' },
      { type: 'refreshed', reason: 'suspected leak' },
    ]);
    // Without one, as before: no reason.
    const plain = await demo.http
      .post(`${ACME}/tokens`)
      .set(demo.auth('acme'))
      .send({ clientKey: 'c-reason', subjectId: 'rolf' })
      .expect(201);
    const [issued] = await demo.rows<{ reason: string | null }>(
      "SELECT reason FROM sfs_token_event WHERE token_id = $1 AND type = 'issued'",
      [plain.body.id],
    );
    expect(issued.reason).toBeNull();
    await demo.http
      .post(`${ACME}/tokens/${minted.body.id}/refresh`)
      .set(demo.auth('acme'))
      .send({ reason: '' })
      .expect(400);
  });

  it('a bulk revoke with dryRun counts what it would revoke and revokes nothing', async () => {
    await Promise.all(['dry-1', 'dry-2', 'dry-3'].map((u) => login(u, 'c-dry')));
    const dry = await demo.http
      .post(`${ACME}/tokens/revoke`)
      .set(demo.auth('acme'))
      .send({ clientKey: 'c-dry', dryRun: true })
      .expect(200);
    expect(dry.body).toEqual({ revoked: 0, matching: 3, dryRun: true });
    const one = await demo.http
      .post(`${ACME}/tokens/revoke`)
      .set(demo.auth('acme'))
      .send({ clientKey: 'c-dry', subjectId: 'dry-2', dryRun: true })
      .expect(200);
    expect(one.body.matching).toBe(1);
    const active = await demo.rows<{ n: number }>(
      "SELECT count(*)::int AS n FROM sfs_client_token WHERE client_key = 'c-dry' AND status = 'active'",
    );
    expect(active[0].n).toBe(3);
    const real = await demo.http
      .post(`${ACME}/tokens/revoke`)
      .set(demo.auth('acme'))
      .send({ clientKey: 'c-dry', reason: 'after the dry run' })
      .expect(200);
    expect(real.body).toEqual({ revoked: 3 });
    await demo.http
      .post(`${ACME}/tokens/revoke`)
      .set(demo.auth('acme'))
      .send({ dryRun: 'yes' })
      .expect(400);
  });

  it('the outbox lists pending and failed revocations with the SFS error; retry sends them again', async () => {
    await demo.revokeNow(); // what earlier tests queued
    const bob = await login('outbox-bob');
    demo.sandbox.setFaults({ statusRates: { 503: 1 }, kinds: ['client.revoke'] });
    await demo.http
      .post(`${ACME}/tokens/${bob.tokenId}/revoke`)
      .set(demo.auth('acme'))
      .send({ reason: 'outbox test' })
      .expect(200);
    await demo.revokeNow();
    const pending = await demo.http
      .get(`${ACME}/revocations?status=pending`)
      .set(demo.auth('acme'))
      .expect(200);
    expect(pending.body.items).toContainEqual(
      expect.objectContaining({
        tokenId: bob.tokenId,
        subjectId: 'outbox-bob',
        status: 'pending',
        attempts: 1,
        reason: 'outbox test',
        lastError: expect.stringContaining('SFS_UNAVAILABLE'),
      }),
    );
    expect(JSON.stringify(pending.body)).not.toContain(bob.accessToken);
    demo.clock.advance(61_000);
    await demo.revokeNow();
    const failed = await demo.http
      .get(`${ACME}/revocations?status=failed`)
      .set(demo.auth('acme'))
      .expect(200);
    expect(failed.body.items.map((i: { tokenId: string }) => i.tokenId)).toEqual([bob.tokenId]);
    // Another tenant's admin sees none of it, and cannot retry it.
    const globex = await demo.http
      .get('/sfs/admin/tenants/globex/revocations')
      .set(demo.auth('globex'))
      .expect(200);
    expect(globex.body.items).toEqual([]);
    await demo.http
      .post('/sfs/admin/tenants/globex/revocations/retry')
      .set(demo.auth('globex'))
      .send({ tokenId: bob.tokenId })
      .expect(200)
      .expect((r) => expect(r.body).toEqual({ retried: 0 }));

    demo.sandbox.clearFaults();
    await demo.http
      .post(`${ACME}/revocations/retry`)
      .set(demo.auth('acme'))
      .send({ tokenId: 'not-a-uuid' })
      .expect(400);
    const retried = await demo.http
      .post(`${ACME}/revocations/retry`)
      .set(demo.auth('acme'))
      .send({ tokenId: bob.tokenId, reason: 'SFS is back' })
      .expect(200);
    expect(retried.body).toEqual({ retried: 1 });
    const [retryEvent] = await demo.rows<{ reason: string }>(
      "SELECT reason FROM sfs_token_event WHERE token_id = $1 AND type = 'revoke_retried'",
      [bob.tokenId],
    );
    expect(retryEvent.reason).toBe('SFS is back');
    await demo.revokeNow();
    expect(demo.sandbox.isTokenActive(bob.accessToken, 'client')).toBe(false);
    const after = await demo.http.get(`${ACME}/revocations`).set(demo.auth('acme')).expect(200);
    expect(after.body.items.map((i: { tokenId: string }) => i.tokenId)).not.toContain(bob.tokenId);
  });
});
