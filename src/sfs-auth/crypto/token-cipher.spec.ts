import { createHash, createHmac, randomBytes } from 'node:crypto';
import { SfsAuthError } from '../errors/sfs-auth.error';
import type { SfsSealedToken } from '../model/token-record';
import type { SfsEncryptionKey } from '../options/encryption-keys';
import { SfsKeyRing } from './key-ring';
import { SfsTokenCipher, sfsFingerprintDisplay } from './token-cipher';

const key = (id: string): SfsEncryptionKey => ({ id, key: randomBytes(32) });
const cipherOf = (...keys: SfsEncryptionKey[]) => new SfsTokenCipher(new SfsKeyRing(keys));
const ctx = { tenantId: 'tenant-a', tokenId: '6f1c1d7e-0b7e-4d59-8f43-2f1a1f0c9a11' };
const TOKEN = 'sfs-client-token-plaintext-Ω';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof SfsAuthError) return error.code;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('SfsTokenCipher', () => {
  const k1 = key('k1');
  const cipher = cipherOf(k1);

  describe('seal/open', () => {
    it('round-trips and lays out version | iv | tag | data under the current key', () => {
      const sealed = cipher.seal(TOKEN, ctx);
      expect(sealed.keyId).toBe('k1');
      expect(sealed.ciphertext[0]).toBe(1);
      expect(sealed.ciphertext.length).toBe(1 + 12 + 16 + Buffer.byteLength(TOKEN));
      expect(sealed.ciphertext.includes(Buffer.from(TOKEN))).toBe(false);
      expect(cipher.open(sealed, ctx)).toBe(TOKEN);
    });

    it('uses a fresh IV for every seal', () => {
      const a = cipher.seal(TOKEN, ctx).ciphertext;
      const b = cipher.seal(TOKEN, ctx).ciphertext;
      expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
      expect(a.equals(b)).toBe(false);
    });

    it.each([
      ['a data byte', (c: Buffer) => (c[c.length - 1] ^= 1)],
      ['a tag byte', (c: Buffer) => (c[14] ^= 1)],
      ['an iv byte', (c: Buffer) => (c[2] ^= 1)],
    ])('rejects a ciphertext with %s flipped (DECRYPTION_FAILED)', (_what, flip) => {
      const sealed = cipher.seal(TOKEN, ctx);
      const tampered = Buffer.from(sealed.ciphertext);
      flip(tampered);
      expect(codeOf(() => cipher.open({ ...sealed, ciphertext: tampered }, ctx))).toBe(
        'DECRYPTION_FAILED',
      );
    });

    it('rejects an unknown format version or a truncated ciphertext', () => {
      const sealed = cipher.seal(TOKEN, ctx);
      const v2 = Buffer.from(sealed.ciphertext);
      v2[0] = 2;
      expect(codeOf(() => cipher.open({ ...sealed, ciphertext: v2 }, ctx))).toBe(
        'DECRYPTION_FAILED',
      );
      const short = sealed.ciphertext.subarray(0, 20);
      expect(codeOf(() => cipher.open({ ...sealed, ciphertext: short }, ctx))).toBe(
        'DECRYPTION_FAILED',
      );
    });

    it.each([
      ['another row', { ...ctx, tokenId: '0b0b0b0b-0b7e-4d59-8f43-2f1a1f0c9a11' }],
      ['another tenant', { ...ctx, tenantId: 'tenant-b' }],
      ['a shifted boundary', { tenantId: 'tenant-a6', tokenId: ctx.tokenId.slice(1) }],
    ])('refuses to open material copied to %s (AAD)', (_where, other) => {
      const sealed = cipher.seal(TOKEN, ctx);
      expect(codeOf(() => cipher.open(sealed, other))).toBe('DECRYPTION_FAILED');
    });

    it('reports DECRYPTION_FAILED as permanent, with the row ids and the low-level cause', () => {
      const sealed = cipher.seal(TOKEN, ctx);
      const tampered = Buffer.from(sealed.ciphertext);
      tampered[tampered.length - 1] ^= 1;
      let caught: SfsAuthError | undefined;
      try {
        cipher.open({ ...sealed, ciphertext: tampered }, ctx);
      } catch (error) {
        caught = error as SfsAuthError;
      }
      expect(caught).toMatchObject({
        code: 'DECRYPTION_FAILED',
        retryable: false,
        tenantId: ctx.tenantId,
        tokenId: ctx.tokenId,
      });
      expect(caught?.cause).toBeDefined();
      expect(caught?.message).toBe(
        `token ${ctx.tokenId} cannot be decrypted with key 'k1': ` +
          'authentication failed (tampered, or bound to another row)',
      );
      let malformed: SfsAuthError | undefined;
      try {
        cipher.open({ ...sealed, ciphertext: Buffer.alloc(0) }, ctx);
      } catch (error) {
        malformed = error as SfsAuthError;
      }
      expect(malformed).toMatchObject({ code: 'DECRYPTION_FAILED', retryable: false });
      expect(malformed?.cause).toBeUndefined();
      expect(malformed?.message).toMatch(/: unknown format$/);
    });

    it('seals the empty string into a bare 29-byte header, and refuses 28 bytes', () => {
      const sealed = cipher.seal('', ctx);
      expect(sealed.ciphertext).toHaveLength(29);
      expect(cipher.open(sealed, ctx)).toBe('');
      const short = { ...sealed, ciphertext: sealed.ciphertext.subarray(0, 28) };
      expect(codeOf(() => cipher.open(short, ctx))).toBe('DECRYPTION_FAILED');
    });

    it('fails with DECRYPTION_FAILED under the wrong key of the same id', () => {
      const sealed = cipher.seal(TOKEN, ctx);
      expect(codeOf(() => cipherOf(key('k1')).open(sealed, ctx))).toBe('DECRYPTION_FAILED');
    });

    it('reports ENCRYPTION_KEY_MISSING naming key and token ids, never material', () => {
      const sealed: SfsSealedToken = cipher.seal(TOKEN, ctx);
      const other = cipherOf(key('k2'));
      let caught: SfsAuthError | undefined;
      try {
        other.open(sealed, ctx);
      } catch (error) {
        caught = error as SfsAuthError;
      }
      expect(caught).toBeInstanceOf(SfsAuthError);
      expect(caught?.code).toBe('ENCRYPTION_KEY_MISSING');
      expect(caught?.retryable).toBe(false);
      expect(caught?.tokenId).toBe(ctx.tokenId);
      expect(caught?.message).toContain("'k1'");
      expect(caught?.message).toContain(ctx.tokenId);
      expect(caught?.message).not.toContain(TOKEN);
      expect(caught?.message).not.toContain(k1.key.toString('base64'));
    });
  });

  describe('rotation', () => {
    it('opens old material with the ring [new, old] and seals new material under the new key', () => {
      const k2 = key('k2');
      const old = cipher.seal(TOKEN, ctx);
      const rotated = cipherOf(k2, k1);
      expect(rotated.open(old, ctx)).toBe(TOKEN);
      const resealed = rotated.seal(rotated.open(old, ctx), ctx);
      expect(resealed.keyId).toBe('k2');
      expect(cipherOf(k2).open(resealed, ctx)).toBe(TOKEN);
      expect(codeOf(() => cipher.open(resealed, ctx))).toBe('ENCRYPTION_KEY_MISSING');
    });
  });

  describe('fingerprint', () => {
    it('is a 64-char HMAC-SHA256 hex, deterministic and distinct per token', () => {
      const fp = cipher.fingerprint(TOKEN);
      expect(fp).toMatch(/^[0-9a-f]{64}$/);
      expect(cipher.fingerprint(TOKEN)).toBe(fp);
      expect(cipher.fingerprint(`${TOKEN}x`)).not.toBe(fp);
    });

    it('stays stable when keys are prepended (rotation) and differs across rings', () => {
      const k0 = key('k0');
      const base = cipherOf(k1).fingerprint(TOKEN);
      expect(cipherOf(key('k2'), k1).fingerprint(TOKEN)).toBe(base);
      expect(cipherOf(key('k3'), key('k2'), k1).fingerprint(TOKEN)).toBe(base);
      expect(cipherOf(k0).fingerprint(TOKEN)).not.toBe(base);
    });

    it('is not a plain hash, nor an HMAC under the raw encryption key', () => {
      const fp = cipher.fingerprint(TOKEN);
      expect(fp).not.toBe(createHash('sha256').update(TOKEN).digest('hex'));
      expect(fp).not.toBe(createHmac('sha256', k1.key).update(TOKEN).digest('hex'));
    });

    it('displays as the first 12 hex chars', () => {
      const fp = cipher.fingerprint(TOKEN);
      expect(sfsFingerprintDisplay(fp)).toBe(fp.slice(0, 12));
      expect(sfsFingerprintDisplay(fp)).toHaveLength(12);
    });
  });
});
