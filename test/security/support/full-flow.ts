import { randomBytes } from 'node:crypto';
import { SfsApiClient, SfsTokenService } from '../../../src';
import { adminPrefix } from '../../e2e/support/admin-api';
import type { DemoHarness } from '../../e2e/support/demo-harness';

const ACME = adminPrefix('acme');

/** `POST /demo/login`; the answer carries the user's token (by design: it is for the browser). */
export async function demoLogin(demo: DemoHarness, tenantId: string, userId: string) {
  const response = await demo.http
    .post('/demo/login')
    .send({ tenantId, clientKey: 'portal', userId })
    .expect(200);
  return response.body as { tokenId: string; accessToken: string };
}

/**
 * Everything a token goes through, asserting each step happened: logins, every admin route, SFS
 * error answers (an admin mint SFS rejects, a protected call with a bad action), a 401 that makes
 * the client replace its token, a logout, a refresh pass, revocation passes with 503s and retries
 * (`whileRevocationsFail` runs while the outbox holds them).
 */
export async function runTokenLifecycle(
  demo: DemoHarness,
  whileRevocationsFail: () => Promise<void>,
): Promise<void> {
  const admin = demo.auth('acme');
  const alice = await demoLogin(demo, 'acme', 'alice');
  await demoLogin(demo, 'acme', 'bob');
  await demoLogin(demo, 'globex', 'carol');

  const page = await demo.http.get(`${ACME}/tokens?limit=1`).set(admin).expect(200);
  const cursor = encodeURIComponent(page.body.nextCursor);
  await demo.http.get(`${ACME}/tokens?limit=1&cursor=${cursor}`).set(admin).expect(200);
  await demo.http.get(`${ACME}/tokens/${alice.tokenId}`).set(admin).expect(200);
  const minted = await demo.http.post(`${ACME}/tokens`).set(admin).send({ clientKey: 'billing' });
  expect(minted.status).toBe(201);
  const refreshed = await demo.http.post(`${ACME}/tokens/${minted.body.id}/refresh`).set(admin);
  expect(refreshed.status).toBe(200);
  await demo.http.delete(`${ACME}/tokens/${refreshed.body.id}`).set(admin).expect(200);
  const bulk = await demo.http
    .post(`${ACME}/tokens/revoke`)
    .set(admin)
    .send({ subjectId: 'bob', reason: 'offboarding' });
  expect(bulk.body).toEqual({ revoked: 1 });
  await demo.http.get(`${ACME}/summary`).set(admin).expect(200);
  await demo.http.get(`${ACME}/events?limit=100`).set(admin).expect(200);
  const firstPass = await demo.revokeNow();
  expect(firstPass.outcomes.map((o) => o.outcome)).toEqual(['revoked', 'revoked']);

  demo.sandbox.enqueueFaults({ kind: 'client.create', status: 400 });
  const rejected = await demo.http.post(`${ACME}/tokens`).set(admin).send({ clientKey: 'x' });
  expect([rejected.status, rejected.body.code]).toEqual([502, 'SFS_REQUEST_REJECTED']);
  const api = demo.app.get(SfsApiClient);
  const ctx = { tenantId: 'acme', clientKey: 'portal', subjectId: 'alice' };
  await expect(api.call(ctx, 'contract', { action: 'delete' })).rejects.toMatchObject({
    code: 'SFS_REQUEST_REJECTED',
  });
  demo.sandbox.revokeToken(alice.accessToken);
  await expect(api.call(ctx, 'contract', { action: 'list' })).resolves.toEqual({ contracts: [] });
  const replaced = demo.sandbox.calls({ kind: 'contract.list' }).map((c) => c.status);
  expect(replaced).toEqual([400, 401, 200]);

  await demo.http.post('/demo/logout').send({ tenantId: 'acme', userId: 'alice' }).expect(204);
  demo.clock.advance(26 * 60_000);
  const refreshPass = await demo.refreshNow();
  expect(refreshPass.outcomes.map((o) => o.outcome)).toContain('refreshed');
  // Two revocations, two attempts each: every attempt answered 503.
  demo.sandbox.enqueueFaults(
    ...Array.from({ length: 4 }, () => ({ kind: 'client.revoke' as const, status: 503 })),
  );
  const failing = await demo.revokeNow();
  expect(failing.outcomes.map((o) => o.outcome)).toEqual(['retry', 'retry']);
  await whileRevocationsFail();
  demo.clock.advance(15 * 60_000);
  const retried = await demo.revokeNow();
  expect(retried.outcomes.map((o) => o.outcome)).toEqual(['revoked', 'revoked']);
}

/** Restarts the app with a new first encryption key and rewraps every data key; the new key ring. */
export async function rotateEncryptionKey(demo: DemoHarness): Promise<string> {
  const keys = `k2:${randomBytes(32).toString('base64')},${demo.encryptionKeys}`;
  await demo.restart({ encryptionKeys: keys });
  const report = await demo.app.get(SfsTokenService).reencrypt();
  expect(report.rewrapped).toBeGreaterThan(0);
  expect(report.failed).toBe(0);
  return keys;
}
