import type { SfsWrappedKey } from '../options/key-wrapper';

/** One row of `sfs_tenant_key`: a tenant's data key, wrapped. */
export interface SfsStoredDataKey {
  readonly tenantId: string;
  /** Stored with every ciphertext sealed under this key (`dek:...`). */
  readonly dataKeyId: string;
  readonly wrapped: SfsWrappedKey;
  /** Bumped by every rewrap (compare-and-set). */
  readonly version: number;
}

/** A rewrapped data key to write, if its row is still at `version`. */
export interface SfsDataKeyRewrap {
  readonly tenantId: string;
  readonly dataKeyId: string;
  readonly version: number;
  /** The wrapping key id it had (for the audit trail). */
  readonly fromKeyId: string;
  readonly wrapped: SfsWrappedKey;
}
