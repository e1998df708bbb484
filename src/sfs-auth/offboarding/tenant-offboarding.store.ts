import type { SfsOffboardingFailure, SfsOffboardingStatus } from '../events/sfs-auth-events';

/** One row of `sfs_tenant_offboarding`. */
export interface SfsOffboardingRecord {
  readonly tenantId: string;
  readonly status: SfsOffboardingStatus;
  readonly reason: string;
  readonly actor: string;
  readonly requestedAt: Date;
  /** Last time live tokens were queued for revocation. */
  readonly lastChangeAt: Date;
  readonly completedAt: Date | null;
  readonly tokensToRevoke: number;
  /** Set when the purge begins. */
  readonly tokensRevoked: number;
  /** Set when the purge begins. */
  readonly revocationsFailed: number;
  readonly tokensPurged: number;
  readonly eventsPurged: number;
  readonly failures: ReadonlyArray<SfsOffboardingFailure>;
}

/** The tenant's outbox rows: waiting for SFS, and given up. */
export interface SfsOffboardingRevocations {
  readonly pending: number;
  readonly failed: number;
}

/** What {@link SfsTenantOffboardingStore.requestRevocations} did. */
export interface SfsOffboardingRequest {
  readonly record: SfsOffboardingRecord;
  /** Whether this call wrote the tombstone (the offboarding started now). */
  readonly created: boolean;
  /** Token ids queued for revocation by this call. */
  readonly queued: string[];
}

/** What one purge batch did. */
export type SfsPurgeBatch =
  /** Another instance holds the tombstone, or the purge has not begun. */
  | { readonly kind: 'busy' }
  /** A live token or a pending revocation showed up: back to `revoking`. */
  | { readonly kind: 'relapsed' }
  | { readonly kind: 'purged'; readonly tokens: number; readonly events: number };

/** Port: the offboarding tombstones and the tenant-wide purge, shaped for the offboarding service. */
export interface SfsTenantOffboardingStore {
  find(tenantId: string): Promise<SfsOffboardingRecord | null>;
  /**
   * One transaction: inserts the tombstone (status `revoking`) unless there is one, then, unless
   * the tenant is `offboarded` already, queues every live token of the tenant for revocation at
   * SFS (the outbox) and notifies the other instances. Idempotent.
   */
  requestRevocations(
    tenantId: string,
    reason: string,
    actor: string,
    now: Date,
  ): Promise<SfsOffboardingRequest>;
  revocations(tenantId: string): Promise<SfsOffboardingRevocations>;
  /**
   * `revoking` → `purging` once nothing is pending at SFS, no token is active and no token was
   * queued after `settledBefore`; records the counts and the revocations given up. `true` when the
   * tenant is (now) purging.
   */
  beginPurge(tenantId: string, settledBefore: Date): Promise<boolean>;
  /** Deletes up to `limit` audit events and `limit` token rows (with their outbox rows). */
  purgeBatch(tenantId: string, limit: number, now: Date): Promise<SfsPurgeBatch>;
  /**
   * Once no token row or event is left: deletes the tenant's key leases, change-sequence rows and
   * data key (destroyed), and marks the tombstone `offboarded`. `true` when it did.
   */
  complete(tenantId: string, now: Date): Promise<boolean>;
  /** Tenants whose offboarding has not ended, oldest first. */
  listUnfinished(limit: number): Promise<string[]>;
}
/** Injection token of the {@link SfsTenantOffboardingStore} port. */
export const SfsTenantOffboardingStore = Symbol('SfsTenantOffboardingStore');
