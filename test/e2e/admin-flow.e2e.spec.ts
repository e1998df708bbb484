import { DemoHarness } from './support/demo-harness';

const ACME = '/sfs/admin/tenants/acme';

describe.each(['forRootAsync', 'forRoot'] as const)(
  'demo app (%s): login → admin → logout',
  (wiring) => {
    const demo = new DemoHarness();
    beforeAll(() => demo.start(`e2e_flow_${wiring}`, wiring));
    afterAll(() => demo.close());

    it('runs the README walkthrough end to end, checked against the sandbox call log', async () => {
      const login = await demo.http
        .post('/demo/login')
        .send({ tenantId: 'acme', clientKey: 'client-1', userId: 'alice' })
        .expect(200);
      const { tokenId, accessToken, subjectId, expiresAt } = login.body;
      expect(subjectId).toBe('alice');
      expect(demo.sandbox.isTokenActive(accessToken, 'client')).toBe(true);
      expect(new Date(expiresAt).getTime()).toBe(demo.sandbox.tokenInfo(accessToken)?.expiresAt);
      expect(demo.sandbox.calls({ kind: 'client.create' })).toHaveLength(1);

      // The admin sees the record, never the token.
      const list = await demo.http.get(`${ACME}/tokens`).set(demo.auth('acme')).expect(200);
      expect(list.body.nextCursor).toBeNull();
      expect(list.body.items).toEqual([
        expect.objectContaining({
          id: tokenId,
          tenantId: 'acme',
          clientKey: 'client-1',
          subjectId: 'alice',
          status: 'active',
        }),
      ]);
      expect(JSON.stringify(list.body)).not.toContain(accessToken);

      // Refresh now: a new token at SFS; the old one stays valid until it expires.
      const refreshed = await demo.http
        .post(`${ACME}/tokens/${tokenId}/refresh`)
        .set(demo.auth('acme'))
        .expect(200);
      expect(refreshed.body.id).not.toBe(tokenId);
      expect(refreshed.body.status).toBe('active');
      expect(demo.sandbox.calls({ kind: 'client.create' })).toHaveLength(2);
      const old = await demo.http
        .get(`${ACME}/tokens/${tokenId}`)
        .set(demo.auth('acme'))
        .expect(200);
      expect(old.body.status).toBe('expired');
      expect(old.body.events.map((e: { type: string }) => e.type)).toEqual(['issued']);
      const fresh = await demo.http
        .get(`${ACME}/tokens/${refreshed.body.id}`)
        .set(demo.auth('acme'))
        .expect(200);
      expect(fresh.body.events).toEqual([
        expect.objectContaining({
          type: 'refreshed',
          actor: expect.stringMatching(/^admin:key:acme#[0-9a-f]{8}$/),
        }),
      ]);

      // Logout: both live tokens of alice are revoked at SFS once the worker has run.
      await demo.http.post('/demo/logout').send({ tenantId: 'acme', userId: 'alice' }).expect(204);
      const pending = await demo.http.get(`${ACME}/summary`).set(demo.auth('acme')).expect(200);
      expect(pending.body).toMatchObject({ tenantId: 'acme', pendingRevocations: 2 });
      expect(pending.body.counts.revoking).toBe(2);
      const report = await demo.revokeNow();
      expect(report.outcomes.map((o) => o.outcome)).toEqual(['revoked', 'revoked']);
      const revokedAtSfs = demo.sandbox.calls({ kind: 'client.revoke', reveal: true });
      expect(revokedAtSfs.map((c) => c.revokedToken).sort()).toEqual(
        demo.sandbox
          .issuedTokens('client')
          .map((t) => t.token)
          .sort(),
      );
      expect(demo.sandbox.issuedTokens('client').every((t) => !t.active)).toBe(true);

      const summary = await demo.http.get(`${ACME}/summary`).set(demo.auth('acme')).expect(200);
      expect(summary.body).toMatchObject({
        counts: { active: 0, revoking: 0, revoked: 2, expired: 0, failed: 0 },
        pendingRevocations: 0,
        failedRevocations: 0,
        nextRefreshAt: null,
      });
      const events = await demo.http
        .get(`${ACME}/events?limit=100`)
        .set(demo.auth('acme'))
        .expect(200);
      expect(events.body.items.map((e: { type: string }) => e.type)).toEqual([
        'revoked',
        'revoked',
        'revoke_requested',
        'revoke_requested',
        'refreshed',
        'issued',
      ]);
    });

    it('mints with POST /tokens (201), then returns the active one (200)', async () => {
      const first = await demo.http
        .post(`${ACME}/tokens`)
        .set(demo.auth('acme'))
        .send({ clientKey: 'client-2' })
        .expect(201);
      expect(first.body).toMatchObject({
        clientKey: 'client-2',
        subjectId: null,
        status: 'active',
      });
      const again = await demo.http
        .post(`${ACME}/tokens`)
        .set(demo.auth('acme'))
        .send({ clientKey: 'client-2' })
        .expect(200);
      expect(again.body.id).toBe(first.body.id);
      const events = await demo.rows<{ actor: string }>(
        'SELECT actor FROM sfs_token_event WHERE token_id = $1',
        [first.body.id],
      );
      expect(events.map((e) => e.actor)).toEqual([expect.stringMatching(/^admin:key:acme#/)]);
    });

    it('revokes one token idempotently and many by filter through the outbox', async () => {
      const minted = await Promise.all(
        ['u1', 'u2', 'u3'].map((subjectId) =>
          demo.http
            .post(`${ACME}/tokens`)
            .set(demo.auth('acme'))
            .send({ clientKey: 'bulk', subjectId }),
        ),
      );
      const [one, ...rest] = minted.map((r) => r.body.id as string);
      const first = await demo.http
        .delete(`${ACME}/tokens/${one}`)
        .set(demo.auth('acme'))
        .expect(200);
      expect(first.body).toMatchObject({ id: one, status: 'revoking' });
      const second = await demo.http
        .delete(`${ACME}/tokens/${one}`)
        .set(demo.auth('acme'))
        .expect(200);
      expect(second.body).toMatchObject({ id: one, status: 'revoking' });
      const bulk = await demo.http
        .post(`${ACME}/tokens/revoke`)
        .set(demo.auth('acme'))
        .send({ clientKey: 'bulk', reason: 'offboarding' })
        .expect(200);
      expect(bulk.body).toEqual({ revoked: rest.length });
      await demo.revokeNow();
      const rows = await demo.rows<{ status: string; revoke_reason: string }>(
        `SELECT status, revoke_reason FROM sfs_client_token WHERE client_key = 'bulk' ORDER BY subject_id`,
      );
      expect(rows.map((r) => r.status)).toEqual(['revoked', 'revoked', 'revoked']);
      expect(rows.map((r) => r.revoke_reason)).toEqual([
        'revoked by a tenant admin',
        'offboarding',
        'offboarding',
      ]);
    });

    it('revokes one token with a reason (POST /tokens/:id/revoke), written to the audit trail', async () => {
      const minted = await demo.http
        .post(`${ACME}/tokens`)
        .set(demo.auth('acme'))
        .send({ clientKey: 'reasoned', subjectId: 'rita' })
        .expect(201);
      const id = minted.body.id as string;
      await demo.http
        .post(`${ACME}/tokens/${id}/revoke`)
        .set(demo.auth('acme'))
        .send({ reason: 'x'.repeat(201) })
        .expect(400)
        .expect((r) => expect(r.body).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' }));
      await demo.http
        .post(`/sfs/admin/tenants/globex/tokens/${id}/revoke`)
        .set(demo.auth('globex'))
        .send({ reason: 'not yours' })
        .expect(404);
      const revoked = await demo.http
        .post(`${ACME}/tokens/${id}/revoke`)
        .set(demo.auth('acme'))
        .send({ reason: 'laptop stolen' })
        .expect(200);
      expect(revoked.body).toMatchObject({ id, status: 'revoking', revokeReason: 'laptop stolen' });
      await demo.revokeNow();
      const detail = await demo.http.get(`${ACME}/tokens/${id}`).set(demo.auth('acme')).expect(200);
      expect(detail.body).toMatchObject({ status: 'revoked', revokeReason: 'laptop stolen' });
      expect(detail.body.events).toContainEqual(
        expect.objectContaining({
          reason: 'laptop stolen',
          actor: expect.stringMatching(/^admin:key:acme#/),
        }),
      );
      // Without a body: the default reason, as DELETE gives.
      const other = await demo.http
        .post(`${ACME}/tokens`)
        .set(demo.auth('acme'))
        .send({ clientKey: 'reasoned', subjectId: 'rolf' })
        .expect(201);
      const plain = await demo.http
        .post(`${ACME}/tokens/${other.body.id}/revoke`)
        .set(demo.auth('acme'))
        .expect(200);
      expect(plain.body.revokeReason).toBe('revoked by a tenant admin');
    });

    it('pages the token list with opaque cursors, newest first, without gaps or repeats', async () => {
      for (let i = 0; i < 5; i++) {
        await demo.http
          .post(`${ACME}/tokens`)
          .set(demo.auth('acme'))
          .send({ clientKey: 'paging', subjectId: `p${i}` })
          .expect(201);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `${ACME}/tokens?clientKey=paging&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await demo.http.get(url).set(demo.auth('acme')).expect(200);
        seen.push(...page.body.items.map((r: { subjectId: string }) => r.subjectId));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(['p4', 'p3', 'p2', 'p1', 'p0']);
    });
  },
);
