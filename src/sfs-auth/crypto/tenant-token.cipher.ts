import { Inject, Injectable } from '@nestjs/common';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { SFS_AUTH_RESOLVED_OPTIONS, type SfsAuthResolvedOptions } from '../options/option-table';
import type { SfsSealedToken } from '../model/token-record';
import { SFS_AEAD_HEADER_BYTES, sfsAdditionalData, sfsAeadOpen, sfsAeadSeal } from './aead';
import type { SfsDataKey } from './data-key.cache';
import { SfsTenantDataKeys } from './tenant-data-keys';
import { SfsTokenCipher, type SfsSealContext } from './token-cipher';

/** Where the sealing cipher gets a tenant's data key (the module: {@link SfsTenantDataKeys}). */
export interface SfsDataKeySource {
  current(tenantId: string): Promise<SfsDataKey>;
  byId(tenantId: string, dataKeyId: string): Promise<Buffer>;
}

/** Format byte of material sealed under a tenant's data key. */
const FORMAT_V2 = 2;
const FORMAT_V1 = 1;

/** `'sfs-auth/token' | 2 | tenantId | tokenId | dataKeyId` (length-prefixed). */
function additionalData(context: SfsSealContext, dataKeyId: string): Buffer {
  return sfsAdditionalData('sfs-auth/token', FORMAT_V2, [
    context.tenantId,
    context.tokenId,
    dataKeyId,
  ]);
}

/**
 * Seals token material under the tenant's data key: format v2, `2 | iv (12) | tag (16) | data`,
 * AES-256-GCM with the AAD binding tenant, token id and data key id; the row's key id column
 * holds the data key id. Opens v2, and v1 (sealed directly under a ring key, before data keys;
 * see `token-cipher.ts`) until `reencrypt()` has moved those rows.
 *
 * @internal
 */
@Injectable()
export class SfsTenantTokenCipher {
  constructor(
    private readonly legacy: SfsTokenCipher,
    @Inject(SfsTenantDataKeys) private readonly dataKeys: SfsDataKeySource,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'compatibleWith'> = {},
  ) {}

  /**
   * Encrypts under the tenant's data key (created on the tenant's first token); as v1 under the
   * ring key while 0.1.0 instances run (`compatibleWith`), which cannot open v2.
   */
  async seal(plaintext: string, context: SfsSealContext): Promise<SfsSealedToken> {
    if (this.options.compatibleWith === '0.1.0') return this.legacy.seal(plaintext, context);
    const { id, key } = await this.dataKeys.current(context.tenantId);
    const aad = additionalData(context, id);
    return {
      ciphertext: sfsAeadSeal(FORMAT_V2, key, aad, Buffer.from(plaintext, 'utf8')),
      keyId: id,
    };
  }

  /**
   * Decrypts v2 (under the tenant's data key) or v1 (under a ring key).
   * @throws SfsAuthError `ENCRYPTION_KEY_MISSING` when the key is gone, `DECRYPTION_FAILED` when the
   *   material is malformed, tampered with or bound to another row.
   */
  async open(sealed: SfsSealedToken, context: SfsSealContext): Promise<string> {
    const format = sealed.ciphertext[0];
    if (format === FORMAT_V1) return this.legacy.open(sealed, context);
    const failed = (why: string, cause?: unknown) =>
      new SfsAuthError(
        'DECRYPTION_FAILED',
        `token ${context.tokenId} cannot be decrypted with key '${sealed.keyId}': ${why}`,
        false,
        { tenantId: context.tenantId, tokenId: context.tokenId, cause },
      );
    if (format !== FORMAT_V2 || sealed.ciphertext.length < SFS_AEAD_HEADER_BYTES) {
      throw failed('unknown format');
    }
    const key = await this.dataKeys.byId(context.tenantId, sealed.keyId);
    try {
      return sfsAeadOpen(key, sealed.ciphertext, additionalData(context, sealed.keyId)).toString(
        'utf8',
      );
    } catch (error) {
      throw failed('authentication failed (tampered, or bound to another row)', error);
    }
  }

  /** See {@link SfsTokenCipher.fingerprint}: unchanged by data keys. */
  fingerprint(token: string): string {
    return this.legacy.fingerprint(token);
  }
}
