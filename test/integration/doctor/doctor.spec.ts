import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { SFS_AUTH_ENTITIES, SFS_AUTH_MIGRATIONS, SfsTokenService } from '../../../src';
import { SfsSandbox, type SfsSandboxOptions } from '../../../src/sandbox';
import type { SfsDoctorReport, SfsDoctorStep } from '../../../src/sfs-auth/doctor/doctor-report';
import { runSfsDoctor } from '../../../src/sfs-auth/doctor/sfs-doctor';
import { createTestApp, sandboxOptions, testEncryptionKey } from '../../support/test-app';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
const CLIENT = 'doctor-client';

const step = (report: SfsDoctorReport, name: string): SfsDoctorStep => {
  const found = report.steps.find((s) => s.name === name);
  if (!found) throw new Error(`no step ${name}: ${report.steps.map((s) => s.name).join(', ')}`);
  return found;
};
const failed = (report: SfsDoctorReport) =>
  report.steps.filter((s) => s.status === 'fail').map((s) => s.name);

describe('nestjs-sfs-auth doctor against the sandbox and a real PostgreSQL', () => {
  let database: TestDatabase;
  let other: TestDatabase;
  const keys = testEncryptionKey('k1');
  const adminKey = 'doctor-admin-key-0123456789';
  const sandboxes: SfsSandbox[] = [];

  const sandbox = async (options: SfsSandboxOptions = {}) => {
    const started = await SfsSandbox.start(options);
    sandboxes.push(started);
    return started;
  };
  const envFor = (sfs: SfsSandbox, extra: Record<string, string | undefined> = {}) => ({
    ...sfs.env(),
    SFS_ENCRYPTION_KEYS: keys,
    SFS_ADMIN_KEYS: `acme=${adminKey}`,
    DATABASE_URL: database.url,
    ...extra,
  });

  beforeAll(async () => {
    database = await createTestDatabase('doctor');
    other = await createTestDatabase('doctor_other');
    // A deployment that has served: migrations applied, one token stored under key k1.
    const sfs = await sandbox();
    const app = await createTestApp({
      databaseUrl: database.url,
      options: { ...sandboxOptions(sfs), encryptionKeys: keys },
    });
    await app.get(SfsTokenService).getClientToken({ tenantId: 'acme', clientKey: 'stored' });
    await app.close();
  });
  afterAll(async () => {
    await Promise.all(sandboxes.map((s) => s.close()));
    await database?.drop();
    await other?.drop();
  });

  it('a good deployment: every step ok, every token it minted revoked, no secret printed', async () => {
    const sfs = await sandbox();
    const env = envFor(sfs);
    const report = await runSfsDoctor(env, { clientKey: CLIENT });
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['options', 'ok'],
      ['sfs tls', 'ok'],
      ['platform token create', 'ok'],
      ['client token create', 'ok'],
      ['sample call', 'ok'],
      ['client token revoke', 'ok'],
      ['sample call after revoke', 'ok'],
      ['platform token revoke', 'ok'],
      ['database', 'ok'],
      ['migrations', 'ok'],
      ['tables', 'ok'],
      ['key ring', 'ok'],
      ['change feed', 'ok'],
      ['admin keys', 'ok'],
    ]);
    expect(report.ok).toBe(true);
    expect(step(report, 'key ring').detail).toMatch(/'k1': 1 opened/);
    expect(step(report, 'admin keys').detail).toBe("1 tenant key(s), 0 '*' key(s)");
    // Nothing live is left at SFS.
    const issued = sfs
      .calls({ reveal: true })
      .flatMap((c) => (c.issuedToken ? [c.issuedToken] : []));
    expect(issued).toHaveLength(2);
    for (const token of issued) expect(sfs.tokenInfo(token)?.revokedAt).toBeDefined();
    // Nothing secret in what it prints (the API key only as its first 4 characters).
    const printed = JSON.stringify(report);
    for (const secret of [
      env.SFS_SECRET,
      keys.split(':')[1],
      adminKey,
      env.SFS_API_KEY,
      ...issued,
    ]) {
      expect(printed).not.toContain(secret);
    }
    expect(step(report, 'platform token create').detail).toContain(
      `{"data":{"action":"create","apiKey":"${env.SFS_API_KEY.slice(0, 4)}…","secret":"***"}}`,
    );
  });

  it('a renamed body field: names the field SFS wants and shows the body we sent', async () => {
    const sfs = await sandbox({ dialect: { requestFields: { clientKey: 'client_key' } } });
    const report = await runSfsDoctor(envFor(sfs), { clientKey: CLIENT });
    expect(failed(report)).toEqual(['client token create']);
    expect(step(report, 'client token create').detail).toBe(
      `client token create: SFS answered 400 "Missing field 'data.client_key'": field ` +
        '`data.client_key`; our body was {"data":{"action":"create","clientKey":"doctor-client"}}',
    );
    expect(sfs.calls({ kind: 'platform.revoke' }).map((c) => c.status)).toEqual([201]);
  });

  it('another status code: names it, and still revokes the platform token', async () => {
    const sfs = await sandbox();
    sfs.enqueueFaults({ kind: 'client.create', status: 418 });
    const report = await runSfsDoctor(envFor(sfs), { clientKey: CLIENT });
    expect(failed(report)).toEqual(['client token create']);
    expect(step(report, 'client token create').detail).toMatch(
      /^client token create: SFS answered 418/,
    );
    expect(sfs.calls({ kind: 'platform.revoke' }).map((c) => c.status)).toEqual([201]);
  });

  it('expires_in missing: fails the call that lacks it, and revokes the token it got anyway', async () => {
    const sfs = await sandbox({ dialect: { omitResponseFields: ['expires_in'] } });
    const report = await runSfsDoctor(envFor(sfs), { clientKey: CLIENT });
    expect(failed(report)).toEqual(['platform token create']);
    expect(step(report, 'platform token create').detail).toMatch(
      /SFS answered 201 \{access_token, token_type\} without expires_in, which the module needs/,
    );
    const [platform] = sfs.calls({ reveal: true, kind: 'platform.create' });
    expect(sfs.tokenInfo(platform.issuedToken!)?.revokedAt).toBeDefined();
  });

  it('wrong credentials: a 403 that says which variables to check', async () => {
    const sfs = await sandbox();
    const report = await runSfsDoctor(envFor(sfs, { SFS_SECRET: 'not-the-secret-at-all' }));
    expect(failed(report)).toEqual(['platform token create']);
    expect(step(report, 'platform token create').detail).toMatch(
      /SFS answered 403 "Invalid API key or secret" \(check SFS_API_KEY and SFS_SECRET/,
    );
  });

  it('an untrusted CA: the TLS step fails and no call is made', async () => {
    const sfs = await sandbox();
    const report = await runSfsDoctor(envFor(sfs, { SFS_CA_PEM: undefined }), {
      clientKey: CLIENT,
    });
    expect(failed(report)).toEqual(['sfs tls']);
    expect(step(report, 'sfs tls').detail).toMatch(
      /not trusted \(\w+\): set SFS_CA_FILE or SFS_CA_PEM/,
    );
    expect(sfs.calls()).toEqual([]);
  });

  it('an http:// URL: the options step fails, SFS is not called', async () => {
    const sfs = await sandbox();
    const report = await runSfsDoctor(
      envFor(sfs, { SFS_BASE_URL: sfs.url.replace('https', 'http') }),
    );
    expect(failed(report)).toEqual(['options']);
    expect(step(report, 'options').detail).toMatch(/https/);
    expect(sfs.calls()).toEqual([]);
  });

  it('a pending migration is named', async () => {
    const partial = new DataSource({
      type: 'postgres',
      url: other.url,
      entities: [...SFS_AUTH_ENTITIES],
      migrations: [SFS_AUTH_MIGRATIONS[0]],
      installExtensions: false,
    });
    await partial.initialize();
    await partial.runMigrations();
    await partial.destroy();
    const sfs = await sandbox();
    const report = await runSfsDoctor(envFor(sfs, { DATABASE_URL: other.url }));
    expect(failed(report)).toEqual(['migrations', 'tables']);
    expect(step(report, 'tables').detail).toBe(
      'missing tables: sfs_token_change, sfs_token_key_lease, sfs_tenant_key, sfs_tenant_offboarding, sfs_tenant_token_count, sfs_tenant_token_count_delta',
    );
    expect(step(report, 'migrations').detail).toBe(
      `pending migrations: ${SFS_AUTH_MIGRATIONS.slice(1)
        .map((m) => m.name)
        .join(', ')}`,
    );
    expect(step(report, 'migrations').detail).toContain('AddSfsAuthRetentionIndexes1764400000000');
  });

  it('rows sealed under a key the ring lacks: counted per key id, no material shown', async () => {
    const sfs = await sandbox();
    const report = await runSfsDoctor(
      envFor(sfs, { SFS_ENCRYPTION_KEYS: testEncryptionKey('k2') }),
    );
    expect(failed(report)).toEqual(['key ring']);
    expect(step(report, 'key ring').detail).toBe(
      "1 stored tokens sampled; 'k1' (not in SFS_ENCRYPTION_KEYS): 0 opened, 1 failed",
    );
  });

  it('tokens under data keys a host key wrapper (a KMS) wrapped: counted as not checked, no failure', async () => {
    const sfs = await sandbox();
    const ds = await new DataSource({
      type: 'postgres',
      url: database.url,
      entities: SFS_AUTH_ENTITIES,
    }).initialize();
    try {
      await ds.query(
        `INSERT INTO sfs_tenant_key (tenant_id, data_key_id, wrapped_key, wrapping_key_id)
         VALUES ('kms-tenant', 'dek:kms-wrapped', '\\x00', 'arn:aws:kms:eu-west-1:1:key/x')`,
      );
      await ds.query(
        `INSERT INTO sfs_client_token (tenant_id, client_key, status, token_ciphertext, token_key_id,
           fingerprint, issued_at, expires_at, refresh_at, session_started_at)
         VALUES ('kms-tenant', 'c', 'active', '\\x02', 'dek:kms-wrapped', 'f', now(), now(), now(), now())`,
      );
      const report = await runSfsDoctor(envFor(sfs));
      expect(step(report, 'key ring')).toMatchObject({ status: 'ok' });
      expect(step(report, 'key ring').detail).toMatch(
        /'k1': 1 opened; 1 under data keys wrapped by a host key wrapper \(not checked\)$/,
      );
    } finally {
      await ds.query(`DELETE FROM sfs_client_token WHERE tenant_id = 'kms-tenant'`);
      await ds.query(`DELETE FROM sfs_tenant_key WHERE tenant_id = 'kms-tenant'`);
      await ds.destroy();
    }
  });

  it('LISTEN that never hears its NOTIFY: a warning in auto mode, a failure in listen mode', async () => {
    // NOTIFY is per database: listening on another one is what a transaction pooler amounts to.
    const sfs = await sandbox();
    const blocked = { SFS_LISTEN_DATABASE_URL: other.url };
    const auto = await runSfsDoctor(envFor(sfs, blocked));
    expect(step(auto, 'change feed')).toMatchObject({ status: 'warn' });
    expect(step(auto, 'change feed').detail).toMatch(
      /heard no NOTIFY within 2000 ms.*auto mode will poll/,
    );
    expect(auto.ok).toBe(true);
    const listen = await runSfsDoctor(envFor(sfs, { ...blocked, SFS_CHANGE_FEED_MODE: 'listen' }));
    expect(failed(listen)).toEqual(['change feed']);
    const poll = await runSfsDoctor(envFor(sfs, { ...blocked, SFS_CHANGE_FEED_MODE: 'poll' }));
    expect(step(poll, 'change feed')).toMatchObject({ status: 'ok' });
  });

  describe('the command line', () => {
    const cli = (args: string[], env: Record<string, string | undefined>) =>
      run(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', 'src/cli/nestjs-sfs-auth.ts', ...args],
        { cwd: ROOT, env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv },
      ).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          stdout: error.stdout + error.stderr,
        }),
      );

    it('--json with --env-file: exit 0 and the documented shape; a failed step: exit 1', async () => {
      const sfs = await sandbox();
      const file = join(tmpdir(), `doctor-${process.pid}.env`);
      const env = envFor(sfs);
      // One-line PEM in the file: escaped newlines, as env files carry it.
      writeFileSync(
        file,
        Object.entries(env)
          .map(([k, v]) => `${k}="${String(v).replace(/\n/g, '\\n')}"`)
          .join('\n'),
      );
      const good = await cli(['doctor', '--json', '--env-file', file, '--client-key', CLIENT], {});
      expect(good.code).toBe(0);
      const report = JSON.parse(good.stdout) as SfsDoctorReport;
      expect(report.ok).toBe(true);
      expect(Object.keys(report.steps[0]).sort()).toEqual(['detail', 'ms', 'name', 'status']);
      // The environment wins over the file.
      const bad = await cli(['doctor', '--env-file', file], { SFS_SECRET: 'wrong-secret-value' });
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/^fail\s+platform token create/m);
    });

    it.each([[['doctr']], [['doctor', '--client-key']], [['doctor', '--nope']], [[]]])(
      'usage errors exit 2: %j',
      async (args) => {
        const answer = await cli(args, {});
        expect(answer.code).toBe(2);
        expect(answer.stdout).toContain('usage: nestjs-sfs-auth doctor');
      },
    );
  });
});
