import { randomBytes } from 'node:crypto';
import { SfsKeyRing } from '../../../src/sfs-auth/crypto/key-ring';
import { SfsTokenCipher } from '../../../src/sfs-auth/crypto/token-cipher';
import { parseEncryptionKeys } from '../../../src/sfs-auth/options/encryption-keys';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('encryption at rest, per-tenant data keys and key rotation', () => {
  const f = new TokenFixture();
  const k1 = key('k1');
  const k2 = key('k2');

  beforeAll(() => f.start('keys'));
  afterAll(() => f.stop());

  const tokenRows = () =>
    f.rows(
      `SELECT id, token_ciphertext, token_key_id, version, updated_at FROM sfs_client_token
        ORDER BY id`,
    );

  it('stores no plaintext token or data key anywhere; rotation rewraps data keys only', async () => {
    const old = await f.addInstance({ encryptionKeys: k1 });
    const keys = Array.from({ length: 12 }, (_, i) => ({
      tenantId: `t-rot-${i % 3}`,
      clientKey: 'c',
      subjectId: `u${i}`,
    }));
    const issued = await Promise.all(keys.map((k) => old.tokens.getClientToken(k)));
    await old.tokens.revoke({ tenantId: 't-rot-0', subjectId: 'u0' }, 'logout');

    // A dump of every table holds no token, in any encoding.
    const dump = JSON.stringify(
      await Promise.all(
        ['sfs_client_token', 'sfs_token_revocation', 'sfs_token_event', 'sfs_tenant_key'].map(
          (table) => f.rows(`SELECT * FROM ${table}`),
        ),
      ),
    );
    const hex = (
      await f.rows<{ h: string }>(
        "SELECT string_agg(encode(token_ciphertext, 'hex'), '') AS h FROM sfs_client_token",
      )
    )[0].h;
    for (const token of f.sandbox.issuedTokens('client').map((t) => t.token)) {
      expect(dump).not.toContain(token);
      expect(hex).not.toContain(Buffer.from(token).toString('hex'));
    }
    // One data key per tenant, wrapped under the ring's first key; rows carry its id.
    const dataKeys = await f.rows<{ tenant_id: string; data_key_id: string }>(
      `SELECT tenant_id, data_key_id, wrapping_key_id FROM sfs_tenant_key ORDER BY tenant_id`,
    );
    expect(dataKeys.map((k) => k)).toEqual(
      ['t-rot-0', 't-rot-1', 't-rot-2'].map((tenant_id) => ({
        tenant_id,
        data_key_id: expect.stringMatching(/^dek:/),
        wrapping_key_id: 'k1',
      })),
    );
    const sealedUnder = await f.rows<{ tenant_id: string; token_key_id: string }>(
      `SELECT DISTINCT tenant_id, token_key_id FROM sfs_client_token
        WHERE token_key_id IS NOT NULL ORDER BY tenant_id`,
    );
    expect(sealedUnder).toEqual(
      dataKeys.map((k) => ({ tenant_id: k.tenant_id, token_key_id: k.data_key_id })),
    );
    expect(issued.length).toBe(12);
    const before = await tokenRows();
    await f.closeInstance(old);

    const rotated = await f.addInstance({ encryptionKeys: `${k2},${k1}` });
    expect(await rotated.tokens.reencrypt(2)).toEqual({
      rewrapped: 3,
      migrated: 0,
      failed: 0,
      skipped: 0,
    });
    expect(await rotated.tokens.reencrypt(2)).toEqual({
      rewrapped: 0,
      migrated: 0,
      failed: 0,
      skipped: 0,
    });
    // Not one token row was written; every data key is now wrapped under k2.
    expect(await tokenRows()).toEqual(before);
    const wrapping = await f.rows('SELECT DISTINCT wrapping_key_id FROM sfs_tenant_key');
    expect(wrapping).toEqual([{ wrapping_key_id: 'k2' }]);
    const audit = await f.rows<{ tenant_id: string; detail: unknown }>(
      `SELECT tenant_id, detail FROM sfs_token_event
        WHERE type = 'key_rotated' AND token_id IS NULL ORDER BY tenant_id`,
    );
    expect(audit).toEqual(
      dataKeys.map((k) => ({
        tenant_id: k.tenant_id,
        detail: { dataKeyId: k.data_key_id, fromKeyId: 'k1', toKeyId: 'k2' },
      })),
    );
    await f.closeInstance(rotated);

    // The old key is gone; every token is still served (and is the same token).
    const fresh = await f.addInstance({ encryptionKeys: k2 });
    const served = await fresh.tokens.getClientToken(keys[5]);
    expect(served.accessToken).toBe(issued[5].accessToken);
    await f.closeInstance(fresh);
  });

  /** Rotation covers every tenant: each test starts without the earlier tests' keys and rows. */
  const forgetEarlierTests = (instance: TestInstance) =>
    instance.db.query(
      'TRUNCATE sfs_tenant_key, sfs_token_event, sfs_token_revocation, sfs_client_token, sfs_token_key_lease',
    );

  /** Turns stored rows back into the format written before data keys (v1, under a ring key). */
  async function makeLegacy(
    instance: TestInstance,
    ring: string,
    tokens: Array<{ tokenId: string; accessToken: string; tenantId: string }>,
  ): Promise<void> {
    const legacy = new SfsTokenCipher(new SfsKeyRing(parseEncryptionKeys(ring).keys));
    for (const t of tokens) {
      const sealed = legacy.seal(t.accessToken, { tenantId: t.tenantId, tokenId: t.tokenId });
      await instance.db.query(
        'UPDATE sfs_client_token SET token_ciphertext = $2, token_key_id = $3 WHERE id = $1',
        [t.tokenId, sealed.ciphertext, sealed.keyId],
      );
    }
  }

  it('moves rows written before data keys to their tenant’s data key, in resumable batches', async () => {
    const k4 = key('k4');
    const a = await f.addInstance({ encryptionKeys: k4 });
    await forgetEarlierTests(a);
    const keys = Array.from({ length: 5 }, (_, i) => ({
      tenantId: `t-legacy-${i % 2}`,
      clientKey: 'c',
      subjectId: `u${i}`,
    }));
    const issued = await Promise.all(keys.map((k) => a.tokens.getClientToken(k)));
    await makeLegacy(
      a,
      k4,
      issued.map((t, i) => ({ ...t, tenantId: keys[i].tenantId })),
    );
    const ids = issued.map((t) => t.tokenId);
    const legacyCount = async () =>
      (
        await f.rows<{ n: number }>(
          `SELECT count(*)::int AS n FROM sfs_client_token
            WHERE id = ANY($1::uuid[]) AND token_key_id NOT LIKE 'dek:%'`,
          [ids],
        )
      )[0].n;
    expect(await legacyCount()).toBe(5);
    // Still served while ring-sealed (v1 stays readable).
    await f.closeInstance(a);
    const b = await f.addInstance({ encryptionKeys: k4 });
    expect((await b.tokens.getClientToken(keys[1])).accessToken).toBe(issued[1].accessToken);

    // Batches of 2: one run moves all five; the next finds nothing left.
    expect(await b.tokens.reencrypt(2)).toEqual({
      rewrapped: 0,
      migrated: 5,
      failed: 0,
      skipped: 0,
    });
    expect(await legacyCount()).toBe(0);
    expect(await b.tokens.reencrypt(2)).toEqual({
      rewrapped: 0,
      migrated: 0,
      failed: 0,
      skipped: 0,
    });
    await f.closeInstance(b);

    const c = await f.addInstance({ encryptionKeys: `${key('k5')},${k4}` });
    const served = await Promise.all(keys.map((k) => c.tokens.getClientToken(k)));
    expect(served.map((t) => t.accessToken)).toEqual(issued.map((t) => t.accessToken));
    await f.closeInstance(c);
  });

  it('a ring-sealed row whose key is missing is failed and replaced; a lost data key is reported', async () => {
    const k6 = key('k6');
    const a = await f.addInstance({ encryptionKeys: k6 });
    await forgetEarlierTests(a);
    const legacyKey = { tenantId: 't-lost-key', clientKey: 'c', subjectId: 'u' };
    const lost = await a.tokens.getClientToken(legacyKey);
    await makeLegacy(a, key('k3'), [{ ...lost, tenantId: legacyKey.tenantId }]);
    const orphanKey = { tenantId: 't-orphan', clientKey: 'c', subjectId: 'u' };
    await a.tokens.getClientToken(orphanKey);
    await f.closeInstance(a);

    // A ring that lacks k6 (wrapping both tenants' data keys) and k3 (the legacy row's key).
    const b = await f.addInstance({ encryptionKeys: `${k2},${k1}` });
    await f.rows(`DELETE FROM sfs_tenant_key WHERE tenant_id = 't-lost-key'`);
    const report = await b.tokens.reencrypt();
    expect(report).toMatchObject({ rewrapped: 0, migrated: 0, failed: 2 });
    const [row] = await f.rows<{ status: string }>(
      'SELECT status FROM sfs_client_token WHERE id = $1',
      [lost.tokenId],
    );
    expect(row.status).toBe('failed');
    const events = await f.rows<{ type: string; reason: string }>(
      "SELECT type, reason FROM sfs_token_event WHERE token_id = $1 AND type = 'key_missing'",
      [lost.tokenId],
    );
    expect(events).toEqual([{ type: 'key_missing', reason: 'ENCRYPTION_KEY_MISSING' }]);
    const replacement = await b.tokens.getClientToken(legacyKey);
    expect(replacement.tokenId).not.toBe(lost.tokenId);
    // The orphaned data key is left as it was, and the tenant's mints say why they fail.
    expect(
      await f.rows(`SELECT wrapping_key_id FROM sfs_tenant_key WHERE tenant_id = 't-orphan'`),
    ).toEqual([{ wrapping_key_id: 'k6' }]);
    await expect(
      b.tokens.getClientToken({ ...orphanKey, subjectId: 'other' }),
    ).rejects.toMatchObject({ code: 'ENCRYPTION_KEY_MISSING', tenantId: 't-orphan' });
    await f.closeInstance(b);
  });
});
