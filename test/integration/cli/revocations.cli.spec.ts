import { userInfo } from 'node:os';
import { CliDeployment } from './cli-harness';

interface ListedRevocation {
  tokenId: string;
  status: string;
  attempts: number;
  lastError: string | null;
}
interface RevocationList {
  ok: boolean;
  tenants: Array<{ tenantId: string; items: ListedRevocation[] }>;
}

/** `nestjs-sfs-auth revocations list|retry`, the built command, on a real PostgreSQL and the sandbox. */
describe('nestjs-sfs-auth revocations', () => {
  const d = new CliDeployment();
  let deployment: Awaited<ReturnType<CliDeployment['instance']>>;
  const given: Record<'x' | 'y' | 'z', { tokenId: string; accessToken: string }> = {} as never;

  beforeAll(async () => {
    await d.start('cli_revocations');
    deployment = await d.instance();
    const { tokens, revocation } = deployment;
    given.x = await tokens.getClientToken({ tenantId: 't-fail', clientKey: 'c', subjectId: 'x' });
    given.y = await tokens.getClientToken({ tenantId: 't-fail', clientKey: 'c', subjectId: 'y' });
    given.z = await tokens.getClientToken({ tenantId: 't-pend', clientKey: 'c', subjectId: 'z' });
    await tokens.getClientToken({ tenantId: 't-quiet', clientKey: 'c' });
    // SFS refuses x's and y's revocations for good (400): given up, `failed`. z's meets an
    // outage (every attempt of the pass): still `pending`, due later.
    d.sandbox.enqueueFaults(
      { kind: 'client.revoke', status: 400 },
      { kind: 'client.revoke', status: 400 },
    );
    await tokens.revoke({ tenantId: 't-fail' }, 'logout');
    expect((await revocation.runOnce()).outcomes.map((o) => o.outcome)).toEqual([
      'failed',
      'failed',
    ]);
    d.sandbox.enqueueFaults(
      { kind: 'client.revoke', status: 503 },
      { kind: 'client.revoke', status: 503 },
      { kind: 'client.revoke', status: 503 },
    );
    await tokens.revoke({ tenantId: 't-pend' }, 'logout');
    expect((await revocation.runOnce()).outcomes.map((o) => o.outcome)).toEqual(['retry']);
    // Its backoff (at most a second here) as long as an outage's: not due during these tests.
    await d.rows(
      `UPDATE sfs_token_revocation SET next_attempt_at = now() + interval '1 hour'
        WHERE token_id = $1`,
      [given.z.tokenId],
    );
  });
  afterAll(() => d.stop());

  const outbox = () =>
    d.rows<{ token_id: string; status: string }>(
      'SELECT token_id, status FROM sfs_token_revocation ORDER BY token_id',
    );

  it('list: each tenant with a revocation waiting, its status, attempts and last error; no token', async () => {
    const sfsCalls = d.sandbox.calls().length;
    const all = await d.cli(['revocations', 'list', '--json']);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    const listed = JSON.parse(all.stdout) as RevocationList;
    expect(listed.ok).toBe(true);
    expect(listed.tenants.map((t) => t.tenantId)).toEqual(['t-fail', 't-pend']);
    const [failed, pending] = listed.tenants;
    expect(failed.items.map((r) => r.tokenId).sort()).toEqual(
      [given.x.tokenId, given.y.tokenId].sort(),
    );
    for (const r of failed.items) {
      expect(r).toMatchObject({ status: 'failed', attempts: 1 });
      expect(r.lastError).toMatch(/^SFS_REQUEST_REJECTED/);
    }
    expect(pending.items).toEqual([
      expect.objectContaining({ tokenId: given.z.tokenId, status: 'pending', attempts: 1 }),
    ]);
    expect(pending.items[0].lastError).toMatch(/^SFS_UNAVAILABLE/);

    const onlyFailed = JSON.parse(
      (await d.cli(['revocations', 'list', '--status', 'failed', '--json'])).stdout,
    ) as RevocationList;
    expect(onlyFailed.tenants.map((t) => t.tenantId)).toEqual(['t-fail']);
    const oneTenant = await d.cli(['revocations', 'list', '--tenant', 't-pend']);
    expect(oneTenant.code).toBe(0);
    expect(oneTenant.stdout).toMatch(/^tenant t-pend: 1 revocation\(s\)\n/);
    expect(oneTenant.stdout).toContain(`  ${given.z.tokenId}  pending  c/z  1 attempt(s), next `);
    const none = await d.cli(['revocations', 'list', '--tenant', 't-quiet']);
    expect(none.stdout).toBe('no pending or failed revocations in tenant t-quiet\n');

    expect(d.sandbox.calls()).toHaveLength(sfsCalls);
    expect(d.leaks([all, oneTenant, none])).toEqual([]);
  });

  it('retry --tenant --token: that given-up revocation is queued again and reaches SFS', async () => {
    // Left alone, a given-up revocation stays given up: the worker does not take it again.
    expect((await deployment.revocation.runOnce()).claimed).toBe(0);
    expect(d.sandbox.isTokenActive(given.x.accessToken)).toBe(true);

    const run = await d.cli([
      'revocations',
      'retry',
      '--tenant',
      't-fail',
      '--token',
      given.x.tokenId,
      '--json',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      retried: 1,
      tenants: [{ tenantId: 't-fail', retried: 1 }],
    });
    expect(await outbox()).toEqual(
      expect.arrayContaining([
        { token_id: given.x.tokenId, status: 'pending' },
        { token_id: given.y.tokenId, status: 'failed' },
      ]),
    );
    const [event] = await d.rows<{ actor: string }>(
      `SELECT actor FROM sfs_token_event WHERE token_id = $1 AND type = 'revoke_retried'`,
      [given.x.tokenId],
    );
    expect(event.actor).toBe(`cli:${userInfo().username}`);

    // The deployment's revocation worker sends it: revoked at SFS; y is still given up.
    const pass = await deployment.revocation.runOnce();
    expect(pass.outcomes).toEqual([
      { tokenId: given.x.tokenId, outcome: 'revoked', confirmedBy: 'sfs' },
    ]);
    expect(d.sandbox.isTokenActive(given.x.accessToken)).toBe(false);
    expect(d.sandbox.isTokenActive(given.y.accessToken)).toBe(true);
    expect(d.leaks([run])).toEqual([]);
  });

  it('retry with no filter: every tenant’s given-up revocations, and only those', async () => {
    const run = await d.cli(['revocations', 'retry']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^tenant t-fail: 1 revocation\(s\) queued again\n/);
    expect(run.stdout).toMatch(/revocations retry: 1 queued again; the deployment's revocation/);
    // z is pending (not given up): untouched, still due later.
    expect(await outbox()).toEqual(
      [
        { token_id: given.y.tokenId, status: 'pending' },
        { token_id: given.z.tokenId, status: 'pending' },
      ].sort((a, b) => a.token_id.localeCompare(b.token_id)),
    );
    await deployment.revocation.runOnce();
    expect(d.sandbox.isTokenActive(given.y.accessToken)).toBe(false);

    const again = await d.cli(['revocations', 'retry', '--tenant', 't-fail']);
    expect(again.stdout).toBe('no failed revocation in tenant t-fail to retry\n');
  });

  it.each([
    [['revocations', 'retry', '--token', 'not-a-uuid'], /--token must be a token id/],
    [['revocations', 'retry', '--tenant', 'a b'], /--tenant must be 1-128 characters/],
    [['revocations', 'list', '--status', 'lost'], /--status must be one of pending, failed/],
    [['revocations', 'list', '--limit'], /--limit needs a value/],
    [['revocations', 'list', '--limit', '-1'], /--limit must be a whole number from 1 to 1000/],
    [['revocations', 'list', '--limit', '0'], /--limit must be a whole number from 1 to 1000/],
    [['revocations', 'purge'], /unknown command: revocations purge/],
  ])('bad input %j: exit 2 with a clear message, nothing changed', async (args, message) => {
    const before = await outbox();
    const run = await d.cli(args);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/usage: nestjs-sfs-auth /);
    expect(await outbox()).toEqual(before);
  });
});
