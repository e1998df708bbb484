import { randomBytes } from 'node:crypto';
import { TokenFixture } from '../../support/token-fixture';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('encryption at rest and key rotation', () => {
  const f = new TokenFixture();
  const k1 = key('k1');
  const k2 = key('k2');

  beforeAll(() => f.start('keys'));
  afterAll(() => f.stop());

  it('stores no plaintext token anywhere, then rotates every row to a new key', async () => {
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
        ['sfs_client_token', 'sfs_token_revocation', 'sfs_token_event'].map((table) =>
          f.rows(`SELECT * FROM ${table}`),
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
    expect(issued.length).toBe(12);
    await f.closeInstance(old);

    const rotated = await f.addInstance({ encryptionKeys: `${k2},${k1}` });
    const report = await rotated.tokens.reencrypt(5);
    expect(report).toEqual({ resealed: 12, failed: 0, skipped: 0 });
    expect(await rotated.tokens.reencrypt(5)).toEqual({ resealed: 0, failed: 0, skipped: 0 });
    const keyIds = await f.rows<{ token_key_id: string }>(
      'SELECT DISTINCT token_key_id FROM sfs_client_token WHERE token_key_id IS NOT NULL',
    );
    expect(keyIds).toEqual([{ token_key_id: 'k2' }]);
    await f.closeInstance(rotated);

    // The old key is gone; every token is still served (and is the same token).
    const fresh = await f.addInstance({ encryptionKeys: k2 });
    const served = await fresh.tokens.getClientToken(keys[5]);
    expect(served.accessToken).toBe(issued[5].accessToken);
    await f.closeInstance(fresh);
  });

  it('reports a row whose key is missing as failed and serves a new token instead', async () => {
    const a = await f.addInstance({ encryptionKeys: key('k3') });
    const k = { tenantId: 't-lost-key', clientKey: 'c', subjectId: 'u' };
    const lost = await a.tokens.getClientToken(k);
    await f.closeInstance(a);

    const b = await f.addInstance({ encryptionKeys: k2 });
    expect(await b.tokens.reencrypt()).toEqual({ resealed: 0, failed: 1, skipped: 0 });
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
    const replacement = await b.tokens.getClientToken(k);
    expect(replacement.tokenId).not.toBe(lost.tokenId);
    await f.closeInstance(b);
  });
});
