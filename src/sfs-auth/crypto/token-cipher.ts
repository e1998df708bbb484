import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SfsAuthError } from '../errors/sfs-auth.error';
import type { SfsSealedToken } from '../tokens/token-record';
import { SfsKeyRing } from './key-ring';

/** What a ciphertext is bound to: opening it for another tenant or row fails. */
export interface SfsSealContext {
  readonly tenantId: string;
  readonly tokenId: string;
}

/** Format version, first byte of every ciphertext (also authenticated through the AAD). */
const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** Length-prefixed, so ('ab','c') and ('a','bc') never encode alike. */
function additionalData(version: number, { tenantId, tokenId }: SfsSealContext): Buffer {
  const parts = [Buffer.from(tenantId, 'utf8'), Buffer.from(tokenId, 'utf8')];
  const chunks: Buffer[] = [Buffer.from('sfs-auth/token', 'utf8'), Buffer.of(version)];
  for (const part of parts) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(part.length);
    chunks.push(length, part);
  }
  return Buffer.concat(chunks);
}

/**
 * AES-256-GCM sealing of token material, bound to the row's tenant and id through the AAD, plus the
 * HMAC fingerprint used for lookups. Layout: `version (1) | iv (12) | tag (16) | data`. Errors name
 * key and token ids, never material.
 */
@Injectable()
export class SfsTokenCipher {
  constructor(private readonly ring: SfsKeyRing) {}

  /** Encrypts under the ring's current key with a fresh random IV. */
  seal(plaintext: string, context: SfsSealContext): SfsSealedToken {
    const { id, key } = this.ring.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(FORMAT_V1, context));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const ciphertext = Buffer.concat([Buffer.of(FORMAT_V1), iv, cipher.getAuthTag(), data]);
    return { ciphertext, keyId: id };
  }

  /**
   * Decrypts material sealed by {@link seal} under any key of the ring.
   * @throws SfsAuthError `ENCRYPTION_KEY_MISSING` when the ring lacks the key,
   *   `DECRYPTION_FAILED` when the material is malformed, tampered with or bound to another row.
   */
  open(sealed: SfsSealedToken, context: SfsSealContext): string {
    const ids = { tenantId: context.tenantId, tokenId: context.tokenId };
    const key = this.ring.get(sealed.keyId);
    if (!key) {
      throw new SfsAuthError(
        'ENCRYPTION_KEY_MISSING',
        `token ${context.tokenId} is sealed under key '${sealed.keyId}', which is not in the key ring`,
        false,
        ids,
      );
    }
    const failed = (why: string, cause?: unknown) =>
      new SfsAuthError(
        'DECRYPTION_FAILED',
        `token ${context.tokenId} cannot be decrypted with key '${sealed.keyId}': ${why}`,
        false,
        { ...ids, cause },
      );
    const { ciphertext } = sealed;
    if (ciphertext.length < HEADER_BYTES || ciphertext[0] !== FORMAT_V1) {
      throw failed('unknown format');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, ciphertext.subarray(1, 1 + IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(additionalData(FORMAT_V1, context));
    decipher.setAuthTag(ciphertext.subarray(1 + IV_BYTES, HEADER_BYTES));
    try {
      const data = ciphertext.subarray(HEADER_BYTES);
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch (error) {
      throw failed('authentication failed (tampered, or bound to another row)', error);
    }
  }

  /** HMAC-SHA256 (hex, 64 chars) of a token, stable across key rotation (see {@link SfsKeyRing}). */
  fingerprint(token: string): string {
    return createHmac('sha256', this.ring.fingerprintKey).update(token, 'utf8').digest('hex');
  }
}

/** The short form of a fingerprint shown in logs and admin responses (first 12 hex chars). */
export function sfsFingerprintDisplay(fingerprint: string): string {
  return fingerprint.slice(0, 12);
}
