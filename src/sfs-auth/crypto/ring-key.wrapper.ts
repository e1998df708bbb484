import { SfsAuthError } from '../errors/sfs-auth.error';
import { sfsAdditionalData, sfsAeadOpen, sfsAeadSeal } from './aead';
import type { SfsKeyRing } from './key-ring';
import type { SfsKeyWrapContext, SfsKeyWrapper, SfsWrappedKey } from '../options/key-wrapper';

/** Format byte of a data key wrapped by the ring. */
const WRAP_V1 = 1;

function additionalData(context: SfsKeyWrapContext): Buffer {
  return sfsAdditionalData('sfs-auth/data-key', WRAP_V1, [context.tenantId]);
}

/**
 * The default {@link SfsKeyWrapper}: AES-256-GCM under the ring's current key (`SFS_ENCRYPTION_KEYS`),
 * bound to the tenant through the AAD. Layout `version (1) | iv (12) | tag (16) | data key`.
 * Unwraps under any key of the ring, so a prepended key takes over wrapping while the old one
 * still opens until `reencrypt()` has rewrapped every data key.
 *
 * @internal
 */
export class SfsRingKeyWrapper implements SfsKeyWrapper {
  constructor(private readonly ring: SfsKeyRing) {}

  currentKeyId(): string {
    return this.ring.current.id;
  }

  wrap(dataKey: Buffer, context: SfsKeyWrapContext): Promise<SfsWrappedKey> {
    const { id, key } = this.ring.current;
    return Promise.resolve({
      keyId: id,
      wrapped: sfsAeadSeal(WRAP_V1, key, additionalData(context), dataKey),
    });
  }

  unwrap(wrapped: SfsWrappedKey, context: SfsKeyWrapContext): Promise<Buffer> {
    const key = this.ring.get(wrapped.keyId);
    const ids = { tenantId: context.tenantId };
    if (!key) {
      return Promise.reject(
        new SfsAuthError(
          'ENCRYPTION_KEY_MISSING',
          `the data key of tenant ${context.tenantId} is wrapped under key '${wrapped.keyId}', which is not in the key ring`,
          false,
          ids,
        ),
      );
    }
    try {
      if (wrapped.wrapped[0] !== WRAP_V1) throw new Error('unknown format');
      return Promise.resolve(sfsAeadOpen(key, wrapped.wrapped, additionalData(context)));
    } catch (error) {
      return Promise.reject(
        new SfsAuthError(
          'DECRYPTION_FAILED',
          `the data key of tenant ${context.tenantId} cannot be unwrapped with key '${wrapped.keyId}'`,
          false,
          { ...ids, cause: error },
        ),
      );
    }
  }
}
