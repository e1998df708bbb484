import { createDecipheriv, createHash } from 'node:crypto';
import {
  sfsAdminKeyLabel,
  sfsAdminKeyLabelSecret,
} from '../../src/sfs-auth/admin/static-key.authorizer';
import {
  SfsAdminCursorCodec,
  type SfsCursorScope,
} from '../../src/sfs-auth/admin/admin-cursor.codec';
import { SfsKeyRing } from '../../src/sfs-auth/crypto/key-ring';
import { SfsRingKeyWrapper } from '../../src/sfs-auth/crypto/ring-key.wrapper';
import { SfsTenantTokenCipher } from '../../src/sfs-auth/crypto/tenant-token.cipher';
import { SfsTokenCipher } from '../../src/sfs-auth/crypto/token-cipher';
import { sfsKeyLeaseRow } from '../../src/sfs-auth/serving/key-lease.queries';
import {
  clientTokenBody,
  parseTokenResponse,
  platformTokenBody,
  revokeClientTokenBody,
  revokePlatformTokenBody,
} from '../../src/sfs-auth/sfs/sfs-wire';

/*
 * Golden vectors: values computed by a released version and stored by hosts (in their database),
 * held by clients (cursors) or exchanged with other instances (lease keys) or with SFS (wire bodies).
 * They must NEVER be edited to make a test pass: a failure here means the change breaks data or
 * peers that already exist. Each block says what breaks and what a deliberate change must ship.
 */

/** Two fixed keys: bytes 0x00..0x1f and 0x20..0x3f. */
const K1 = Buffer.from('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=', 'base64');
const K2 = Buffer.from('ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=', 'base64');
const GOLDEN_LABEL = 'admin:key:*#88a36cb8';
const RING = new SfsKeyRing([{ id: 'k1', key: K1 }]);
const ROTATED_RING = new SfsKeyRing([
  { id: 'k2', key: K2 },
  { id: 'k1', key: K1 },
]);
const TOKEN = 'sfs-client-token-golden-Ω';
const CONTEXT = { tenantId: 'tenant-golden', tokenId: '00000000-0000-4000-8000-000000000001' };

/*
 * Sealed token (client_token.ciphertext, format v1). If it changes, every token stored by an
 * earlier version fails with DECRYPTION_FAILED after the upgrade: hosts lose every stored token
 * and must re-mint them all. A new layout or AAD needs a new format version byte, with open()
 * still reading v1, and a re-encryption pass (SfsTokenService.reencrypt(), see
 * src/sfs-auth/crypto/token-reencryption.service.ts) before v1 support may go.
 */
describe('golden: sealed token v1 (AES-256-GCM, version | iv | tag | data)', () => {
  const IV = 'a0a1a2a3a4a5a6a7a8a9aaab';
  /** 'sfs-auth/token' | version 1 | u32be length | tenantId | u32be length | tokenId */
  const AAD =
    '7366732d617574682f746f6b656e01' +
    '0000000d' +
    '74656e616e742d676f6c64656e' +
    '00000024' +
    '30303030303030302d303030302d343030302d383030302d303030303030303030303031';
  const SEALED =
    '01' +
    IV +
    '9d630e5ad00eaedcc4d9f7a2c94808ad' +
    '957e0f0026a76bda0c11aaa76811a5b05dcb367cf6d22c4152a7';

  /** The format as documented above, decrypted without the module's code. */
  function openV1(ciphertext: Buffer, key: Buffer): string {
    expect(ciphertext[0]).toBe(1);
    const decipher = createDecipheriv('aes-256-gcm', key, ciphertext.subarray(1, 13), {
      authTagLength: 16,
    });
    decipher.setAAD(Buffer.from(AAD, 'hex'));
    decipher.setAuthTag(ciphertext.subarray(13, 29));
    return Buffer.concat([decipher.update(ciphertext.subarray(29)), decipher.final()]).toString(
      'utf8',
    );
  }

  it('is opened by today’s code, under the plain ring and the rotated one', () => {
    const sealed = { ciphertext: Buffer.from(SEALED, 'hex'), keyId: 'k1' };
    expect(new SfsTokenCipher(RING).open(sealed, CONTEXT)).toBe(TOKEN);
    expect(new SfsTokenCipher(ROTATED_RING).open(sealed, CONTEXT)).toBe(TOKEN);
  });

  it('is the format today’s seal() writes (readable by a version that only knows v1)', () => {
    const sealed = new SfsTokenCipher(ROTATED_RING).seal(TOKEN, CONTEXT);
    expect(sealed.keyId).toBe('k2');
    expect(openV1(sealed.ciphertext, K2)).toBe(TOKEN);
    expect(openV1(Buffer.from(SEALED, 'hex'), K1)).toBe(TOKEN);
  });
});

/*
 * Sealed token v2 (client_token.ciphertext under the tenant's data key; client_token.key_id holds
 * the data key id) and the data key as the default ring wrapper stores it (sfs_tenant_key.wrapped_key,
 * wrapping_key_id = the ring key id). If either changes, every token stored since per-tenant data
 * keys fails with DECRYPTION_FAILED or ENCRYPTION_KEY_MISSING after the upgrade. A new layout or
 * AAD needs a new version byte (v3 / wrap v2), with open() and unwrap() still reading these, and a
 * migration pass before support for these may go.
 */
describe('golden: sealed token v2 under a tenant data key, and the ring-wrapped data key', () => {
  /** The tenant's data key: bytes 0x40..0x5f. */
  const DATA_KEY = Buffer.from('QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=', 'base64');
  const DATA_KEY_ID = 'dek:golden-data-key';
  /** 'sfs-auth/token' | version 2 | u32be length | tenantId | u32be length | tokenId | u32be length | dataKeyId */
  const AAD =
    '7366732d617574682f746f6b656e02' +
    '0000000d' +
    '74656e616e742d676f6c64656e' +
    '00000024' +
    '30303030303030302d303030302d343030302d383030302d303030303030303030303031' +
    '00000013' +
    '64656b3a676f6c64656e2d646174612d6b6579';
  const SEALED =
    '02' +
    'b0b1b2b3b4b5b6b7b8b9babb' +
    '353071a80498dd8081054f3d10fd9089' +
    '7066f3a8a22682fc559a0a8c829d29a5936feb442070b8b23d6f';
  /** 'sfs-auth/data-key' | version 1 | u32be length | tenantId */
  const WRAP_AAD =
    '7366732d617574682f646174612d6b657901' + '0000000d' + '74656e616e742d676f6c64656e';
  const WRAPPED =
    '01' +
    'c0c1c2c3c4c5c6c7c8c9cacb' +
    'ee76399caf6bbb1cd5a91d53ffbecfa7' +
    '40096524333dd019d090b7e97ee1a6191c22b16c68b749ed729a11516b2021e9';
  const dataKeys = {
    current: () => Promise.resolve({ id: DATA_KEY_ID, key: DATA_KEY }),
    byId: (_tenantId: string, id: string) =>
      id === DATA_KEY_ID ? Promise.resolve(DATA_KEY) : Promise.reject(new Error(id)),
  };

  /** AES-256-GCM `version | iv | tag | data`, decrypted without the module's code. */
  function openDocumented(sealed: Buffer, key: Buffer, aad: string, version: number): Buffer {
    expect(sealed[0]).toBe(version);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13), {
      authTagLength: 16,
    });
    decipher.setAAD(Buffer.from(aad, 'hex'));
    decipher.setAuthTag(sealed.subarray(13, 29));
    return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
  }

  it('is opened by today’s code (v1 rows too, under the same cipher)', async () => {
    const cipher = new SfsTenantTokenCipher(new SfsTokenCipher(RING), dataKeys);
    const sealed = { ciphertext: Buffer.from(SEALED, 'hex'), keyId: DATA_KEY_ID };
    await expect(cipher.open(sealed, CONTEXT)).resolves.toBe(TOKEN);
    const v1 = new SfsTokenCipher(RING).seal(TOKEN, CONTEXT);
    await expect(cipher.open(v1, CONTEXT)).resolves.toBe(TOKEN);
  });

  it('is the format today’s seal() writes', async () => {
    const cipher = new SfsTenantTokenCipher(new SfsTokenCipher(RING), dataKeys);
    const sealed = await cipher.seal(TOKEN, CONTEXT);
    expect(sealed.keyId).toBe(DATA_KEY_ID);
    expect(openDocumented(sealed.ciphertext, DATA_KEY, AAD, 2).toString('utf8')).toBe(TOKEN);
    expect(openDocumented(Buffer.from(SEALED, 'hex'), DATA_KEY, AAD, 2).toString('utf8')).toBe(
      TOKEN,
    );
  });

  it('the ring-wrapped data key is unwrapped by today’s code, under the rotated ring too', async () => {
    const wrapped = { keyId: 'k1', wrapped: Buffer.from(WRAPPED, 'hex') };
    const context = { tenantId: CONTEXT.tenantId };
    await expect(new SfsRingKeyWrapper(RING).unwrap(wrapped, context)).resolves.toEqual(DATA_KEY);
    await expect(new SfsRingKeyWrapper(ROTATED_RING).unwrap(wrapped, context)).resolves.toEqual(
      DATA_KEY,
    );
    const rewrapped = await new SfsRingKeyWrapper(ROTATED_RING).wrap(DATA_KEY, context);
    expect(rewrapped.keyId).toBe('k2');
    expect(openDocumented(rewrapped.wrapped, K2, WRAP_AAD, 1)).toEqual(DATA_KEY);
    expect(openDocumented(Buffer.from(WRAPPED, 'hex'), K1, WRAP_AAD, 1)).toEqual(DATA_KEY);
  });
});

/*
 * Fingerprint (client_token.fingerprint, shown as its first 12 hex chars in admin responses and
 * logs). It is an HMAC under a key derived (HKDF salt 'nestjs-sfs-auth/fingerprint', info
 * 'hmac-sha256/v1') from the ring's oldest key. If it changes, stored fingerprints stop matching
 * the tokens they describe, and operators correlating logs with records across the upgrade are
 * misled. A deliberate change needs a new info version ('hmac-sha256/v2') and a pass that
 * recomputes every stored fingerprint from the decrypted token, shipped in the same release.
 */
describe('golden: token fingerprint', () => {
  const FINGERPRINT = '0d1019b9c538d2cdb496fae1aeb79e05c2cb3f753e4eae4f310fc49bc7f3f9fc';

  it('is the same under the ring and after a key is prepended (rotation keeps the anchor)', () => {
    expect(new SfsTokenCipher(RING).fingerprint(TOKEN)).toBe(FINGERPRINT);
    expect(new SfsTokenCipher(ROTATED_RING).fingerprint(TOKEN)).toBe(FINGERPRINT);
  });
});

/*
 * Audit labels of static admin keys (the actor of sfs_token_event rows: `admin:key:<tenant>#<8 hex>`).
 * The hex is an HMAC of the key under a secret derived (HKDF info 'nestjs-sfs-auth/admin-key-label')
 * from the ring's fingerprint key, so a tenant admin reading the trail cannot test guesses at a key.
 * If it changes, the same key gets another label after the upgrade (or between an old and a new
 * instance), and operators lose the thread of who did what: a deliberate change ships a note
 * mapping old labels to new ones. Labels of before this format (a bare SHA-256 prefix) stay in old
 * rows as they were written: rows are never rewritten.
 */
describe('golden: admin key audit labels', () => {
  it('labels a fixed key under the fixed ring the same way, and not as a bare hash would', () => {
    const secret = sfsAdminKeyLabelSecret(RING);
    const label = sfsAdminKeyLabel('*', 'all-tenants-0123456789abcdef', secret);
    expect(label).toBe(GOLDEN_LABEL);
    const bare = createHash('sha256').update('all-tenants-0123456789abcdef').digest('hex');
    expect(label.split('#')[1]).not.toBe(bare.slice(0, 8));
    expect(sfsAdminKeyLabelSecret(ROTATED_RING)).toEqual(secret);
  });
});

/*
 * Admin cursors (nextCursor of GET /tokens and GET /events). Clients hold them between requests
 * and any instance must accept any other's: if the encoding or the HMAC key derivation (HKDF
 * info 'nestjs-sfs-auth/admin-cursor' over the fingerprint key) changes, every cursor issued
 * before the upgrade, or by an old instance during a rolling deploy, gets a 400. A deliberate
 * change must accept both the old and the new form for one release, then drop the old one.
 */
describe('golden: admin cursors', () => {
  const codec = new SfsAdminCursorCodec(RING);
  const tokens: SfsCursorScope = {
    list: 'tokens',
    tenantId: 'acme',
    filter: '["active",null,null]',
  };
  const events: SfsCursorScope = { list: 'events', tenantId: 'acme', filter: '' };
  const tokensAfter = {
    createdAt: '2026-11-28T12:00:00.123456Z',
    id: '8a1f0c1e-0000-4000-8000-000000000001',
  };
  const eventsAfter = '8a1f0c1e-0000-4000-8000-000000000002';
  const TOKENS_CURSOR =
    'eyJzIjp7Imxpc3QiOiJ0b2tlbnMiLCJ0ZW5hbnRJZCI6ImFjbWUiLCJmaWx0ZXIiOiJbXCJhY3RpdmVcIixudWxsLG51bGx' +
    'dIn0sInAiOnsiY3JlYXRlZEF0IjoiMjAyNi0xMS0yOFQxMjowMDowMC4xMjM0NTZaIiwiaWQiOiI4YTFmMGMxZS0wMDAwLT' +
    'QwMDAtODAwMC0wMDAwMDAwMDAwMDEifX0.Mo0sGRDwOdrdiBR9I77OvQ';
  const EVENTS_CURSOR =
    'eyJzIjp7Imxpc3QiOiJldmVudHMiLCJ0ZW5hbnRJZCI6ImFjbWUiLCJmaWx0ZXIiOiIifSwicCI6IjhhMWYwYzFlLTAwMD' +
    'AtNDAwMC04MDAwLTAwMDAwMDAwMDAwMiJ9.i7rzTUDuhXQsHqyFv2MWEQ';

  it('encodes fixed inputs to the same cursor', () => {
    expect(codec.encode(tokens, tokensAfter)).toBe(TOKENS_CURSOR);
    expect(codec.encode(events, eventsAfter)).toBe(EVENTS_CURSOR);
  });

  it('decodes a cursor issued by an earlier version, under the rotated ring too', () => {
    expect(codec.decode(tokens, TOKENS_CURSOR)).toEqual(tokensAfter);
    expect(new SfsAdminCursorCodec(ROTATED_RING).decode(events, EVENTS_CURSOR)).toBe(eventsAfter);
  });
});

/*
 * Lease keys of token keys (table sfs_token_key_lease, src/sfs-auth/serving/key-lease.queries.ts).
 * Instances of two versions run side by side during a rolling deploy: if they leased different rows
 * for one key (a service token's subject as '' in one, NULL or another marker in the other), both
 * could mint that key's token at once. A deliberate change needs a migration that rewrites the
 * lease rows and a stop-the-world deploy (no two versions running). (Until this release, keys were
 * coordinated by advisory-lock ids; an instance of that version and one of this one do not see
 * each other's claims, and the unique index on active rows makes the later insert lose: its token
 * is revoked at once.)
 */
describe('golden: lease keys of token keys', () => {
  it.each([
    [{ tenantId: 'acme', clientKey: 'client-1', subjectId: null }, ['acme', 'client-1', '']],
    [
      { tenantId: 'acme', clientKey: 'client-1', subjectId: 'alice' },
      ['acme', 'client-1', 'alice'],
    ],
    [
      { tenantId: 'globex', clientKey: 'c:2', subjectId: 'bob@example.com' },
      ['globex', 'c:2', 'bob@example.com'],
    ],
  ])('%j → %j', (key, row) => {
    expect(sfsKeyLeaseRow(key)).toEqual(row);
  });
});

/*
 * SFS wire bodies (src/sfs-auth/sfs/sfs-wire.ts). SFS defines them, not us: if one changes, real
 * SFS rejects the call (no platform token, no client token, no revocation) while the sandbox, which
 * reads the same constants, keeps passing. Change them only when SFS does, together with the
 * sandbox and docs/sfs-token-api.md, and never by editing these vectors alone.
 */
describe('golden: SFS wire bodies', () => {
  it.each([
    [
      'platform token',
      platformTokenBody('api-key-1', 'secret-1'),
      '{"data":{"action":"create","apiKey":"api-key-1","secret":"secret-1"}}',
    ],
    ['platform token revocation', revokePlatformTokenBody(), '{"data":{"action":"revoke"}}'],
    [
      'client token',
      clientTokenBody('client-1'),
      '{"data":{"action":"create","clientKey":"client-1"}}',
    ],
    [
      'client token revocation',
      revokeClientTokenBody('client-token-1'),
      '{"data":{"action":"revoke","token":"client-token-1"}}',
    ],
  ])('%s', (_call, body, json) => {
    expect(JSON.stringify(body)).toBe(json);
  });

  it('reads the token response SFS answers with', () => {
    expect(
      parseTokenResponse(
        JSON.parse('{"access_token":"tok-1","token_type":"Bearer","expires_in":1800}'),
      ),
    ).toEqual({ accessToken: 'tok-1', tokenType: 'Bearer', expiresInSeconds: 1800 });
  });
});
