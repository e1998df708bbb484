import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SfsAuthError } from '../errors/sfs-auth.error';
import type { SfsSealedToken } from '../model/token-record';
import { SFS_AEAD_HEADER_BYTES, sfsAdditionalData, sfsAeadOpen, sfsAeadSeal } from './aead';
import { SfsKeyRing } from './key-ring';

/** What a ciphertext is bound to: opening it for another tenant or row fails. */
export interface SfsSealContext {
  readonly tenantId: string;
  readonly tokenId: string;
}

/** Format version, first byte of every ciphertext (also authenticated through the AAD). */
const FORMAT_V1 = 1;

/** `'sfs-auth/token' | version | tenantId | tokenId` (length-prefixed). */
function additionalData(version: number, { tenantId, tokenId }: SfsSealContext): Buffer {
  return sfsAdditionalData('sfs-auth/token', version, [tenantId, tokenId]);
}

/**
 * Format v1: AES-256-GCM sealing of token material directly under a ring key, bound to the row's
 * tenant and id through the AAD, plus the HMAC fingerprint used for lookups. Layout:
 * `version (1) | iv (12) | tag (16) | data`. New material is sealed under per-tenant data keys
 * (v2, `tenant-token.cipher.ts`); v1 stays readable for rows written before. Errors name key and
 * token ids, never material.
 *
 * @internal
 */
@Injectable()
export class SfsTokenCipher {
  constructor(private readonly ring: SfsKeyRing) {}

  /** Encrypts under the ring's current key with a fresh random IV. */
  seal(plaintext: string, context: SfsSealContext): SfsSealedToken {
    const { id, key } = this.ring.current;
    const aad = additionalData(FORMAT_V1, context);
    const ciphertext = sfsAeadSeal(FORMAT_V1, key, aad, Buffer.from(plaintext, 'utf8'));
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
    if (ciphertext.length < SFS_AEAD_HEADER_BYTES || ciphertext[0] !== FORMAT_V1) {
      throw failed('unknown format');
    }
    try {
      return sfsAeadOpen(key, ciphertext, additionalData(FORMAT_V1, context)).toString('utf8');
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
