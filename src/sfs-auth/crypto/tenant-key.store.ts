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

/** Port: the per-tenant data keys, shaped for `SfsTenantDataKeys` and key rotation. */
export interface SfsTenantKeyStore {
  find(tenantId: string): Promise<SfsStoredDataKey | null>;
  /** Inserts unless the tenant has a key already; returns the tenant's key (this one or that one). */
  insertIfAbsent(key: Omit<SfsStoredDataKey, 'version'>, now: Date): Promise<SfsStoredDataKey>;
  /** Keys wrapped under another key than `wrappingKeyId`, in tenant order after `afterTenantId`. */
  findWrappedNotUnder(
    wrappingKeyId: string,
    afterTenantId: string | null,
    limit: number,
  ): Promise<SfsStoredDataKey[]>;
  /**
   * One transaction: each key whose row is still at its version gets its new wrapping and a
   * `key_rotated` audit event (no token id). Returns how many were written.
   */
  rewrap(keys: ReadonlyArray<SfsDataKeyRewrap>, now: Date): Promise<number>;
}
/** Injection token of the {@link SfsTenantKeyStore} port. */
export const SfsTenantKeyStore = Symbol('SfsTenantKeyStore');
