import { hkdfSync } from 'node:crypto';
import { sfsAssertKeyRing } from '../options/config-assertions';
import type { SfsEncryptionKey } from '../options/encryption-keys';

const FINGERPRINT_SALT = Buffer.from('nestjs-sfs-auth/fingerprint', 'utf8');
const FINGERPRINT_INFO = Buffer.from('hmac-sha256/v1', 'utf8');

/**
 * The encryption key ring, newest first: the first key seals, every key opens.
 *
 * Fingerprints must not change when a key is added, so the fingerprint HMAC key is derived (HKDF)
 * from the ring's **anchor**: its last, i.e. oldest, entry. Rotation prepends keys and keeps the
 * anchor; retiring the anchor itself changes every fingerprint computed afterwards.
 */
export class SfsKeyRing {
  /** The key new material is sealed with. */
  readonly current: SfsEncryptionKey;
  /** Id of the key the fingerprint key is derived from. */
  readonly fingerprintAnchorId: string;
  private readonly byId: ReadonlyMap<string, Buffer>;
  private readonly hmacKey: Buffer;

  constructor(keys: ReadonlyArray<SfsEncryptionKey>) {
    sfsAssertKeyRing(keys);
    const byId = new Map(keys.map(({ id, key }) => [id, Buffer.from(key)]));
    this.byId = byId;
    this.current = { id: keys[0].id, key: byId.get(keys[0].id) as Buffer };
    const anchor = keys[keys.length - 1];
    this.fingerprintAnchorId = anchor.id;
    this.hmacKey = Buffer.from(
      hkdfSync('sha256', anchor.key, FINGERPRINT_SALT, FINGERPRINT_INFO, 32),
    );
  }

  /** Ids in ring order (newest first). */
  get ids(): string[] {
    return [...this.byId.keys()];
  }

  /** The key with that id, or `undefined` when the ring does not hold it. */
  get(keyId: string): Buffer | undefined {
    return this.byId.get(keyId);
  }

  /** The HMAC key for token fingerprints (derived, never an encryption key itself). */
  get fingerprintKey(): Buffer {
    return this.hmacKey;
  }
}
