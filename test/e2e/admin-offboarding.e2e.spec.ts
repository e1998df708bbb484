import { SfsOffboardingWorker } from '../../src/sfs-auth/offboarding/offboarding.worker';
import { adminPrefix } from './support/admin-api';
import { DEMO_PLATFORMS, DemoHarness } from './support/demo-harness';
import { seedTenant } from './support/tenant-seed';

describe.each(DEMO_PLATFORMS)(
  'admin API: DELETE /sfs/admin/tenants/:tenantId offboards a tenant (%s)',
  (platform) => {
    const demo = new DemoHarness({ platform });
    const tokenRows = () =>
      demo.rows('SELECT id, status, version FROM sfs_client_token ORDER BY id');

    beforeAll(async () => {
      await demo.start(`e2e_admin_offboarding_${platform}`);
      await seedTenant(demo, 'acme');
      await seedTenant(demo, 'globex');
    });
    afterAll(() => demo.close());

    it('is refused to tenant keys (even the tenant’s own) and without credentials; nothing changes', async () => {
      const before = await tokenRows();
      const own = await demo.http.delete(adminPrefix('acme')).set(demo.auth('acme')).expect(403);
      expect(own.body).toMatchObject({ statusCode: 403, code: 'ADMIN_FORBIDDEN' });
      await demo.http.delete(adminPrefix('acme')).set(demo.auth('globex')).expect(403);
      await demo.http.delete(adminPrefix('acme')).expect(401);
      await demo.http
        .delete(adminPrefix('acme'))
        .set(demo.auth('all'))
        .send({ reason: '' })
        .expect(400);
      expect(await tokenRows()).toEqual(before);
      expect(await demo.rows('SELECT * FROM sfs_tenant_offboarding')).toEqual([]);
    });

    it('a `*` key starts it (202); mints are refused with 410; the summary reports progress and the end', async () => {
      const started = await demo.http
        .delete(adminPrefix('acme'))
        .set(demo.auth('all'))
        .send({ reason: 'contract ended' })
        .expect(202);
      expect(started.body).toMatchObject({
        tenantId: 'acme',
        status: 'revoking',
        reason: 'contract ended',
        requestedBy: expect.stringMatching(/^admin:key:\*#/),
        tokensToRevoke: 3,
        pendingRevocations: 3,
        completedAt: null,
      });
      const refused = await demo.http
        .post(`${adminPrefix('acme')}/tokens`)
        .set(demo.auth('acme'))
        .send({ clientKey: 'acme-portal', subjectId: 'someone' })
        .expect(410);
      expect(refused.body).toMatchObject({ statusCode: 410, code: 'TENANT_OFFBOARDED' });
      await demo.http
        .post('/demo/login')
        .send({ tenantId: 'acme', clientKey: 'acme-portal', userId: 'acme-alice' })
        .expect(410);

      const progress = await demo.http
        .get(`${adminPrefix('acme')}/summary`)
        .set(demo.auth('acme'))
        .expect(200);
      expect(progress.body.offboarding).toMatchObject({
        status: 'revoking',
        pendingRevocations: 3,
      });

      await demo.revokeNow();
      demo.clock.advance(60_000);
      await demo.app.get(SfsOffboardingWorker).runOnce();
      const end = await demo.http
        .get(`${adminPrefix('acme')}/summary`)
        .set(demo.auth('acme'))
        .expect(200);
      expect(end.body).toMatchObject({
        counts: { active: 0, revoking: 0, revoked: 0, expired: 0, failed: 0 },
        pendingRevocations: 0,
        offboarding: {
          status: 'offboarded',
          tokensToRevoke: 3,
          revoked: 3,
          failedRevocations: 0,
          purgedTokens: 3,
          failures: [],
          completedAt: new Date(demo.clock.now()).toISOString(),
        },
      });
      // Idempotent: the tombstone, unchanged.
      const again = await demo.http.delete(adminPrefix('acme')).set(demo.auth('all')).expect(202);
      expect(again.body).toEqual(end.body.offboarding);
      // The other tenant keeps its tokens.
      const globex = await demo.http
        .get(`${adminPrefix('globex')}/summary`)
        .set(demo.auth('globex'))
        .expect(200);
      expect(globex.body).toMatchObject({ counts: { active: 3 }, offboarding: null });
    });
  },
);
