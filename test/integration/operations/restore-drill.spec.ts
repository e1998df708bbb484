import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SfsTokenService, type SfsAuthModuleOptions, type SfsClientToken } from '../../../src';
import { SfsManualClock, SfsSandbox } from '../../../src/sandbox';
import { SfsRefreshWorker } from '../../../src/sfs-auth/refresh/refresh.worker';
import { SfsRevocationWorker } from '../../../src/sfs-auth/revocation/revocation.worker';
import { dumpableServer, pgDump, pgRestore, type DumpableServer } from '../../support/pg-dump';
import { createTestApp, sandboxOptions, testEncryptionKey } from '../../support/test-app';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

/** Live tokens at dump time: two tenants' users and a third tenant's service token. */
const KEYS = [
  { tenantId: 't-restore-a', clientKey: 'client-1', subjectId: 'alice' },
  { tenantId: 't-restore-a', clientKey: 'client-1', subjectId: 'bob' },
  { tenantId: 't-restore-b', clientKey: 'client-2', subjectId: 'carol' },
  { tenantId: 't-restore-c', clientKey: 'client-3' },
];
/** Logged out before the dump; its revocation was still in the outbox when the dump was taken. */
const LOGGED_OUT = { tenantId: 't-restore-b', clientKey: 'client-2', subjectId: 'dave' };

interface Instance {
  app: INestApplication;
  tokens: SfsTokenService;
  refresh: SfsRefreshWorker;
  revocation: SfsRevocationWorker;
}

describe('restore drill: pg_dump of a database with live tokens, pg_restore into an empty one', () => {
  const clock = new SfsManualClock(Date.UTC(2026, 10, 28, 12));
  const ring = testEncryptionKey('k1');
  const work = mkdtempSync(join(tmpdir(), 'sfs-restore-drill-'));
  const dumpFile = join(work, 'sfs-auth.dump');
  const apps: INestApplication[] = [];
  const databases: TestDatabase[] = [];
  let sandbox: SfsSandbox;
  let server: DumpableServer;
  let options: SfsAuthModuleOptions;
  let minted: SfsClientToken[];
  let loggedOut: SfsClientToken;

  /** A new host app (new key ring, cold caches), as a process started after the restore is. */
  async function startInstance(databaseUrl: string, encryptionKeys = ring): Promise<Instance> {
    const app = await createTestApp({
      databaseUrl,
      options: { ...options, encryptionKeys },
      clock,
    });
    apps.push(app);
    return {
      app,
      tokens: app.get(SfsTokenService),
      refresh: app.get(SfsRefreshWorker),
      revocation: app.get(SfsRevocationWorker),
    };
  }

  async function stopInstance(instance: Instance): Promise<void> {
    apps.splice(apps.indexOf(instance.app), 1);
    await instance.app.close();
  }

  /** A fresh, empty database with the dump restored into it. */
  async function restore(label: string): Promise<TestDatabase> {
    const database = await createTestDatabase(label, server.url);
    databases.push(database);
    await pgRestore(server.tools, dumpFile, database.url);
    return database;
  }

  /** What a restore must bring back byte for byte: sealed token rows and wrapped data keys. */
  async function sealedState(instance: Instance): Promise<unknown[]> {
    const db = instance.app.get(DataSource);
    return [
      await db.query(
        `SELECT id, status, token_ciphertext, token_key_id, version FROM sfs_client_token
          ORDER BY id`,
      ),
      await db.query('SELECT * FROM sfs_tenant_key ORDER BY tenant_id'),
    ];
  }

  beforeAll(async () => {
    sandbox = await SfsSandbox.start({ now: () => clock.now(), clientTokenLifetimeSeconds: 1800 });
    server = await dumpableServer('/tmp/sfs-auth-restore-pg.');
    console.log(`restore drill on ${server.describe}`);
    options = sandboxOptions(sandbox);
    const source = await createTestDatabase('restore_source', server.url);
    databases.push(source);
    const live = await startInstance(source.url);
    minted = [];
    for (const key of KEYS) minted.push(await live.tokens.getClientToken(key));
    loggedOut = await live.tokens.getClientToken(LOGGED_OUT);
    expect(await live.tokens.revoke(LOGGED_OUT, 'logout')).toBe(1);
    // Taken while the instance runs, as a scheduled backup is; then the original is lost.
    await pgDump(server.tools, source.url, dumpFile);
    await stopInstance(live);
    await source.drop();
  }, 60_000);

  afterAll(async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const database of databases) await database.drop().catch(() => undefined);
    await server?.close();
    await sandbox?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it.each([
    ['a ring without the key that wrapped the data keys', 'k2', 'ENCRYPTION_KEY_MISSING'],
    ['a new key under the old key id', 'k1', 'DECRYPTION_FAILED'],
  ])(
    'restored with %s, nothing opens: serving fails typed and changes no row; the workers give up',
    async (_case, keyId, code) => {
      const database = await restore(`restore_nokey_${keyId}`);
      const stranger = await startInstance(database.url, testEncryptionKey(keyId));
      const before = await sealedState(stranger);
      const issuedBefore = sandbox.issuedTokens('client').length;

      for (const key of KEYS) {
        await expect(stranger.tokens.getClientToken(key)).rejects.toMatchObject({
          code,
          tenantId: key.tenantId,
        });
      }
      expect(await sealedState(stranger)).toEqual(before);
      // Its workers give up for good on what they claim: the pending logout (not reported done)...
      expect((await stranger.revocation.runOnce()).outcomes).toEqual([
        { tokenId: loggedOut.tokenId, outcome: 'failed', code },
      ]);
      // ...and every refresh that comes due (the clock goes back for the other tests).
      const now = clock.now();
      clock.advance(1_600_000);
      try {
        const report = await stranger.refresh.runOnce();
        expect(report.outcomes).toHaveLength(KEYS.length);
        expect(report.outcomes).toEqual(
          expect.arrayContaining(
            minted.map((t) => ({ tokenId: t.tokenId, outcome: 'failed', code, permanent: true })),
          ),
        );
      } finally {
        clock.set(now);
      }
      // Whatever SFS issued while the instance tried to mint replacements is not left live.
      const strays = sandbox.issuedTokens('client').slice(issuedBefore);
      expect(strays.filter((t) => sandbox.isTokenActive(t.token))).toEqual([]);
    },
  );

  it('with the same key ring, a new instance serves the dumped tokens, sends the pending revocation, refreshes, revokes and rotates', async () => {
    const database = await restore('restore_drill');
    const fresh = await startInstance(database.url);
    const issuedBefore = sandbox.issuedTokens('client').length;

    // The same token values: data keys unwrap and the AAD (tenant, token id, data key id) holds.
    const served: SfsClientToken[] = [];
    for (const key of KEYS) served.push(await fresh.tokens.getClientToken(key));
    expect(served).toEqual(minted);
    expect(sandbox.issuedTokens('client').length).toBe(issuedBefore);

    // The logout queued before the dump reaches SFS after the restore.
    expect(sandbox.isTokenActive(loggedOut.accessToken)).toBe(true);
    expect((await fresh.revocation.runOnce()).outcomes).toEqual([
      { tokenId: loggedOut.tokenId, outcome: 'revoked', confirmedBy: 'sfs' },
    ]);
    expect(sandbox.isTokenActive(loggedOut.accessToken)).toBe(false);

    // Past every token's refresh time (lifetime 1800 s, lead 300 s, jitter up to 180 s).
    clock.advance(1_600_000);
    const report = await fresh.refresh.runOnce();
    expect(report.outcomes).toHaveLength(KEYS.length);
    expect(report.outcomes).toEqual(
      expect.arrayContaining(
        minted.map((t) => ({
          tokenId: t.tokenId,
          outcome: 'refreshed',
          newTokenId: expect.any(String) as string,
        })),
      ),
    );
    const refreshed: SfsClientToken[] = [];
    for (const key of KEYS) refreshed.push(await fresh.tokens.getClientToken(key));
    refreshed.forEach((token, i) => {
      expect(report.outcomes).toContainEqual({
        tokenId: minted[i].tokenId,
        outcome: 'refreshed',
        newTokenId: token.tokenId,
      });
      expect(token.accessToken).not.toBe(minted[i].accessToken);
      expect(sandbox.isTokenActive(token.accessToken)).toBe(true);
    });

    // alice logs out: her refreshed token and the replaced one (live until it expires) are revoked.
    const alice = { tenantId: KEYS[0].tenantId, subjectId: KEYS[0].subjectId };
    expect(await fresh.tokens.revoke(alice, 'logout')).toBe(2);
    await fresh.revocation.runOnce();
    expect(sandbox.isTokenActive(refreshed[0].accessToken)).toBe(false);
    expect(sandbox.isTokenActive(minted[0].accessToken)).toBe(false);
    expect(sandbox.isTokenActive(refreshed[1].accessToken)).toBe(true);
    await stopInstance(fresh);

    // Key rotation on the restored data: one rewrap per tenant; then the old key can go.
    const k2 = testEncryptionKey('k2');
    const rotating = await startInstance(database.url, `${k2},${ring}`);
    const tenants = new Set(KEYS.map((k) => k.tenantId)).size;
    expect(await rotating.tokens.reencrypt()).toEqual({
      rewrapped: tenants,
      migrated: 0,
      failed: 0,
      skipped: 0,
    });
    await stopInstance(rotating);
    const rotated = await startInstance(database.url, k2);
    expect(await rotated.tokens.getClientToken(KEYS[2])).toEqual(refreshed[2]);
  });
});
