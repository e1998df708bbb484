import { userInfo } from 'node:os';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliDeployment } from './cli-harness';

interface TenantRow {
  tenantId: string;
  counts: Record<string, number>;
  pendingRevocations: number;
  failedRevocations: number;
  offboarding: { status: string; tokensToRevoke: number } | null;
}

/** `nestjs-sfs-auth tenants list|offboard`, the built command, on a real PostgreSQL and the sandbox. */
describe('nestjs-sfs-auth tenants', () => {
  const d = new CliDeployment();
  let deployment: Awaited<ReturnType<CliDeployment['instance']>>;
  const acme: Array<{ tokenId: string; accessToken: string }> = [];

  beforeAll(async () => {
    await d.start('cli_tenants');
    deployment = await d.instance();
    const { tokens } = deployment;
    for (const subjectId of ['u1', 'u2', 'u3', 'u4']) {
      acme.push(await tokens.getClientToken({ tenantId: 'acme', clientKey: 'c', subjectId }));
    }
    await tokens.revoke({ tenantId: 'acme', subjectId: 'u4' }, 'logout');
    await deployment.revocation.runOnce();
    await tokens.getClientToken({ tenantId: 'globex', clientKey: 'c' });
  });
  afterAll(() => d.stop());

  const list = async () => {
    const run = await d.cli(['tenants', 'list', '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    return (JSON.parse(run.stdout) as { tenants: TenantRow[] }).tenants;
  };
  const tombstones = () => d.rows('SELECT tenant_id, status FROM sfs_tenant_offboarding');
  const acmeStatuses = async () =>
    (
      await d.rows<{ status: string }>(
        `SELECT status FROM sfs_client_token WHERE tenant_id = 'acme' ORDER BY status`,
      )
    ).map((r) => r.status);

  it('list: every tenant with its token counts by status and its revocation backlog', async () => {
    expect(await list()).toEqual([
      expect.objectContaining({
        tenantId: 'acme',
        counts: { active: 3, revoking: 0, revoked: 1, expired: 0, failed: 0 },
        pendingRevocations: 0,
        failedRevocations: 0,
        offboarding: null,
      }),
      expect.objectContaining({
        tenantId: 'globex',
        counts: { active: 1, revoking: 0, revoked: 0, expired: 0, failed: 0 },
        offboarding: null,
      }),
    ]);
    const text = await d.cli(['tenants', 'list']);
    expect(text.stdout.split('\n').map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      'tenant active revoking revoked expired failed pending rev. failed rev. offboarding',
      'acme 3 0 1 0 0 0 0 -',
      'globex 1 0 0 0 0 0 0 -',
      '',
    ]);
    expect(d.leaks([text])).toEqual([]);
  });

  it.each([
    [
      ['tenants', 'offboard', 'acme'],
      /refusing to offboard acme: --confirm must repeat the tenant id \(got none\)/,
    ],
    [
      ['tenants', 'offboard', 'acme', '--confirm', 'globex'],
      /refusing to offboard acme: .*\(got globex\)/,
    ],
    [['tenants', 'offboard', 'acme', '--confirm', 'ACME'], /refusing to offboard acme/],
    [['tenants', 'offboard', '--confirm', 'acme'], /tenants offboard needs the tenant id/],
    [['tenants', 'offboard', 'a b', '--confirm', 'a b'], /the tenant id must be 1-128 characters/],
    [
      ['tenants', 'offboard', 'acme', '--confirm', 'acme', '--reason', 'x'.repeat(201)],
      /reason must be 1-200 characters/,
    ],
    [['tenants', 'offboard', 'acme', 'globex', '--confirm', 'acme'], /unexpected argument globex/],
  ])('offboard %j: refused with exit 2, nothing changes', async (args, message) => {
    const run = await d.cli([...args, '--json']);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(message);
    // Refused before connecting: the same answer with a database that cannot be reached.
    const offline = await d.cli(args, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(offline.code).toBe(2);
    expect(await tombstones()).toEqual([]);
    expect(await acmeStatuses()).toEqual(['active', 'active', 'active', 'revoked']);
    // Still served as before.
    const served = await deployment.tokens.getClientToken({
      tenantId: 'acme',
      clientKey: 'c',
      subjectId: 'u1',
    });
    expect(served.accessToken).toBe(acme[0].accessToken);
  });

  it('offboard <id> --confirm <id>: starts it as the admin API does; the deployment carries it on', async () => {
    const sfsCalls = d.sandbox.calls().length;
    const run = await d.cli(['tenants', 'offboard', 'acme', '--confirm', 'acme', '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const actor = `cli:${userInfo().username}`;
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      offboarding: expect.objectContaining({
        tenantId: 'acme',
        status: 'revoking',
        reason: 'offboarded by an operator (nestjs-sfs-auth CLI)',
        requestedBy: actor,
        tokensToRevoke: 3,
        pendingRevocations: 3,
      }),
    });
    // The command itself called no SFS: the tokens are queued, never served again.
    expect(d.sandbox.calls()).toHaveLength(sfsCalls);
    expect(await tombstones()).toEqual([{ tenant_id: 'acme', status: 'revoking' }]);
    expect(await acmeStatuses()).toEqual(['revoked', 'revoking', 'revoking', 'revoking']);
    await expect(
      deployment.tokens.getClientToken({ tenantId: 'acme', clientKey: 'c', subjectId: 'u9' }),
    ).rejects.toMatchObject({ code: 'TENANT_OFFBOARDED' });
    expect((await list()).find((t) => t.tenantId === 'acme')?.offboarding).toMatchObject({
      status: 'revoking',
      tokensToRevoke: 3,
    });

    // The deployment's revocation worker revokes them at SFS.
    await deployment.revocation.runOnce();
    for (const token of acme.slice(0, 3)) {
      expect(d.sandbox.isTokenActive(token.accessToken)).toBe(false);
    }
    // Asking again is harmless: where it stands.
    const again = await d.cli(['tenants', 'offboard', 'acme', '--confirm', 'acme']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^tenant acme: offboarding revoking \(requested .* by cli:/);
    expect(again.stdout).toContain(
      '3 live token(s) queued for revocation: 3 revoked, 0 pending, 0 failed',
    );
    expect(d.leaks([run, again])).toEqual([]);
  });

  it('--env-file: the file fills what the environment lacks', async () => {
    const file = join(tmpdir(), `cli-tenants-${process.pid}.env`);
    writeFileSync(
      file,
      Object.entries(d.env())
        .map(([k, v]) => `${k}="${String(v).replace(/\n/g, '\\n')}"`)
        .join('\n'),
    );
    const run = await d.cli(['tenants', 'list', '--env-file', file, '--json'], {
      ...Object.fromEntries(Object.keys(d.env()).map((k) => [k, undefined])),
    });
    expect(run.code).toBe(0);
    expect(
      (JSON.parse(run.stdout) as { tenants: TenantRow[] }).tenants.map((t) => t.tenantId),
    ).toEqual(['acme', 'globex']);
    // A missing file: Node itself stops before the command runs (it checks `--env-file` even
    // after the script's path, nodejs/node#54232), with exit 9 instead of the command's 2.
    const missing = await d.cli(['tenants', 'list', '--env-file', `${file}.nope`]);
    expect(missing).toMatchObject({ code: 9, stdout: '' });
    expect(missing.stderr).toMatch(/not found/);
  });

  it('a database it cannot reach: exit 1, the reason without a stack trace or the password', async () => {
    const run = await d.cli(['tenants', 'list', '--json'], {
      DATABASE_URL: 'postgres://operator:s3cret-db-pass@127.0.0.1:1/sfs',
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      error: 'the module did not start: the database refused or did not answer (ECONNREFUSED)',
    });
    expect(run.stderr).toBe(
      'tenants list failed: the module did not start: the database refused or did not answer (ECONNREFUSED)\n',
    );
    const missing = await d.cli(['tenants', 'list'], { DATABASE_URL: undefined });
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'tenants list failed: DATABASE_URL is not set\n',
    });
    const invalid = await d.cli(['tenants', 'list'], { SFS_ENCRYPTION_KEYS: 'k1:short' });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(
      /^tenants list failed: Invalid SfsAuthModule options:\n {2}- encryptionKeys/,
    );
    expect(invalid.stderr).not.toMatch(/\n\s+at /);
  });
});
