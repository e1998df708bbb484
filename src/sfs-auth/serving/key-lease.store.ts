import type {
  SfsNewTokenEvent,
  SfsNewTokenRecord,
  SfsTokenKey,
  SfsTokenRecord,
} from '../model/token-record';

/** A held claim on a token key: who, until when, and the fence that proves it is still ours. */
export interface SfsKeyLease {
  readonly key: SfsTokenKey;
  readonly owner: string;
  /** Bumped by every claim of the key (a bigint, as text). */
  readonly fence: string;
  readonly expiresAt: Date;
}

/** What {@link SfsKeyLeaseStore.claimKey} found. */
export interface SfsKeyClaim {
  /** The lease, or `null` when another claimant holds it and it has not run out. */
  readonly lease: SfsKeyLease | null;
  /** When `lease` is `null`: when the other claimant's lease runs out (`null`: released since). */
  readonly heldUntil: Date | null;
  /** The key's active row, read after the claim (it sees what the previous holder recorded). */
  readonly current: SfsTokenRecord | null;
}

/** A token row to insert, its events, and the row it replaces (if any). */
export interface SfsMintRecord {
  readonly record: SfsNewTokenRecord;
  readonly events: SfsNewTokenEvent[];
  /**
   * The previous token of the key: it becomes `expired` with `replaced_by` set (a row that
   * expired or failed meanwhile keeps its status and is linked). A revocation that took it first
   * (`revoking`, `revoked`) makes the mint lose.
   */
  readonly retire?: { id: string };
}

/**
 * Port: the key leases of the one mint flow ({@link SfsTokenMinter}). A short statement claims a
 * key and commits, SFS is called with no connection checked out, and the result is recorded only
 * while the claim's fence still holds.
 */
export interface SfsKeyLeaseStore {
  /**
   * Claims `key`'s lease for `owner` until `now + leaseMs` (when free or run out; the fence moves
   * on) in one statement that commits, then reads the key's active row. Nothing is held afterwards but
   * the lease row's values: the caller calls SFS with no connection checked out.
   */
  claimKey(key: SfsTokenKey, owner: string, now: Date, leaseMs: number): Promise<SfsKeyClaim>;
  /**
   * {@link claimKey} for many distinct keys in two statements, in their order; a key another
   * claimant holds comes back with no lease (and `heldUntil` unknown).
   */
  claimKeys(
    keys: ReadonlyArray<SfsTokenKey>,
    owner: string,
    now: Date,
    leaseMs: number,
  ): Promise<SfsKeyClaim[]>;
  /** Gives a lease up; a no-op when it was taken over meanwhile. */
  releaseKey(lease: SfsKeyLease): Promise<void>;
  /**
   * One statement (atomic on its own): while `lease` still holds (same owner and fence), releases
   * it and stores `mint` (`'stored'`). Otherwise (taken over, or a revocation took the replaced
   * row) a short transaction stores `lost` instead, a `revoking` row that goes to the outbox
   * (`'lost'`). Throws
   * {@link SfsTokenConflictError} if another active row holds the key.
   */
  recordMint(
    lease: SfsKeyLease,
    mint: SfsMintRecord,
    lost: SfsMintRecord,
  ): Promise<'stored' | 'lost'>;
  /** Stores a token nobody holds (a late answer) as `lost`: a `revoking` row with its outbox row. */
  recordLost(lost: SfsMintRecord): Promise<void>;
}
/** Injection token of the {@link SfsKeyLeaseStore} port. */
export const SfsKeyLeaseStore = Symbol('SfsKeyLeaseStore');
