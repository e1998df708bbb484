import { randomBytes } from 'node:crypto';
import { SfsKeyRing } from '../../../src/sfs-auth/crypto/key-ring';
import { SfsTokenCipher } from '../../../src/sfs-auth/crypto/token-cipher';
import { parseEncryptionKeys } from '../../../src/sfs-auth/options/encryption-keys';
import { CliDeployment } from './cli-harness';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

/** `nestjs-sfs-auth keys reencrypt`, the built command, on a real PostgreSQL. */
describe('nestjs-sfs-auth keys reencrypt', () => {
  const k1 = key('k1');
  const k2 = key('k2');
  const d = new CliDeployment(k1);
  const keys = ['t-a', 't-b', 't-c'].flatMap((tenantId) =>
    ['u1', 'u2'].map((subjectId) => ({ tenantId, clientKey: 'c', subjectId })),
  );
  let issued: Array<{ tokenId: string; accessToken: string }>;

  beforeAll(async () => {
    await d.start('cli_keys');
    const a = await d.instance();
    issued = [];
    for (const k of keys) issued.push(await a.tokens.getClientToken(k));
    // Two rows as written before per-tenant data keys: sealed directly under the ring key k1.
    const legacy = new SfsTokenCipher(new SfsKeyRing(parseEncryptionKeys(k1).keys));
    for (const i of [0, 3]) {
      const sealed = legacy.seal(issued[i].accessToken, {
        tenantId: keys[i].tenantId,
        tokenId: issued[i].tokenId,
      });
      await a.db.query(
        'UPDATE sfs_client_token SET token_ciphertext = $2, token_key_id = $3 WHERE id = $1',
        [issued[i].tokenId, sealed.ciphertext, sealed.keyId],
      );
    }
    await d.closeInstances();
  });
  afterAll(() => d.stop());

  const wrappingKeys = () =>
    d.rows<{ tenant_id: string; wrapping_key_id: string }>(
      'SELECT tenant_id, wrapping_key_id FROM sfs_tenant_key ORDER BY tenant_id',
    );
  const ringSealed = () =>
    d.rows<{ id: string }>(`SELECT id FROM sfs_client_token WHERE token_key_id NOT LIKE 'dek:%'`);

  it('with a new first key: a line per batch, every data key under it, every row still served', async () => {
    expect((await wrappingKeys()).map((k) => k.wrapping_key_id)).toEqual(['k1', 'k1', 'k1']);
    expect(await ringSealed()).toHaveLength(2);
    d.keys = `${k2},${k1}`;

    const run = await d.cli(['keys', 'reencrypt', '--batch-size', '2']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.trim().split('\n')).toEqual([
      'data keys  batch 1: 2 read, 2 rewrapped, 0 migrated, 0 failed, 0 skipped',
      'data keys  batch 2: 1 read, 1 rewrapped, 0 migrated, 0 failed, 0 skipped',
      'token rows batch 1: 2 read, 0 rewrapped, 2 migrated, 0 failed, 0 skipped',
      'keys reencrypt: 3 data keys rewrapped, 2 token rows migrated, 0 failed, 0 skipped',
    ]);
    expect(await wrappingKeys()).toEqual(
      ['t-a', 't-b', 't-c'].map((tenant_id) => ({ tenant_id, wrapping_key_id: 'k2' })),
    );
    expect(await ringSealed()).toEqual([]);
    const audit = await d.rows<{ actor: string; n: number }>(
      `SELECT actor, count(*)::int AS n FROM sfs_token_event WHERE type = 'key_rotated'
        GROUP BY actor`,
    );
    expect(audit).toEqual([{ actor: 'system', n: 5 }]);

    // The old key dropped: every token is still served, and is the same token.
    d.keys = k2;
    const b = await d.instance();
    for (const [i, k] of keys.entries()) {
      expect((await b.tokens.getClientToken(k)).accessToken).toBe(issued[i].accessToken);
    }
    await d.closeInstances();
    expect(d.leaks([run], [k1, k2])).toEqual([]);
  });

  it('--json: one document on stdout; run again, nothing is left to do', async () => {
    const run = await d.cli(['keys', 'reencrypt', '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      rewrapped: 0,
      migrated: 0,
      failed: 0,
      skipped: 0,
      batches: [],
    });
  });

  it('a ring that cannot open the data keys: exit 1, each failure named on stderr, nothing changed', async () => {
    const before = await d.rows('SELECT * FROM sfs_tenant_key ORDER BY tenant_id');
    const k3 = key('k3');
    const run = await d.cli(['keys', 'reencrypt', '--json'], { SFS_ENCRYPTION_KEYS: k3 });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, rewrapped: 0, failed: 3 });
    const lines = run.stderr.trim().split('\n');
    // The batch line goes to stderr with --json; the module's error lines too, without a stack.
    expect(lines).toContain(
      'data keys  batch 1: 3 read, 0 rewrapped, 0 migrated, 3 failed, 0 skipped',
    );
    expect(
      lines.filter((l) =>
        /^error: data key of tenant t-[abc] \(wrapped under 'k2'\) could not be rewrapped/.test(l),
      ),
    ).toHaveLength(3);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await d.rows('SELECT * FROM sfs_tenant_key ORDER BY tenant_id')).toEqual(before);
    expect(d.leaks([run], [k1, k2, k3])).toEqual([]);
  });

  it('bad input: exit 2 and the usage, before touching the database', async () => {
    for (const args of [
      ['keys', 'reencrypt', '--batch-size', '0'],
      ['keys', 'reencrypt', '--batch-size'],
      ['keys', 'reencrypt', 'now'],
      ['keys', 'rotate'],
    ]) {
      const run = await d.cli(args, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(run.stderr).toMatch(/usage: nestjs-sfs-auth /);
    }
  });
});
