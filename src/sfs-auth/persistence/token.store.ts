import type {
  SfsActor,
  SfsNewTokenEvent,
  SfsNewTokenRecord,
  SfsRevocationWork,
  SfsSealedToken,
  SfsTokenKey,
  SfsTokenRecord,
} from '../tokens/token-record';

/** Which tokens a revocation request covers (all within one tenant). */
export interface SfsRevocationFilter {
  readonly tenantId: string;
  readonly tokenId?: string;
  readonly clientKey?: string;
  /** `undefined`: any subject; a string: that subject only. */
  readonly subjectId?: string;
}

/** Outcome of a failed attempt, written with a compare-and-set. */
export interface SfsAttemptFailure {
  readonly error: string;
  /** When to try again; ignored when `permanent`. */
  readonly nextAttemptAt: Date | null;
  readonly permanent: boolean;
}

/** A held claim on a token key: who, until when, and the fence that proves it is still ours. */
export interface SfsKeyLease {
  readonly key: SfsTokenKey;
  readonly owner: string;
  /** Bumped by every claim of the key (a bigint, as text). */
  readonly fence: string;
  readonly expiresAt: Date;
}

/** What {@link SfsTokenStore.claimKey} found. */
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
 * Port: every query of the module. Time always comes from the caller (the injected clock), never
 * from the database, so tests move a clock. All state changes of one call are one transaction, and
 * every change that makes a cached token unusable notifies the other instances (see
 * {@link SfsTokenChangeFeed}).
 */
export interface SfsTokenStore {
  findActive(key: SfsTokenKey): Promise<SfsTokenRecord | null>;
  findById(tenantId: string, id: string): Promise<SfsTokenRecord | null>;
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

  /**
   * Claims up to `limit` active rows whose `refresh_at` (and `next_attempt_at`) is due and whose
   * lease is free or expired, with `FOR UPDATE SKIP LOCKED`; stamps `lease_owner`, lease expiry and
   * bumps `version`. Returns the rows as claimed (with the new version).
   */
  claimDueRefreshes(
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<SfsTokenRecord[]>;
  /** CAS: attempts+1, last_error, next_attempt_at, lease released; permanent → status `failed`. */
  recordRefreshFailure(
    id: string,
    expectedVersion: number,
    failure: SfsAttemptFailure,
    event: SfsNewTokenEvent,
  ): Promise<boolean>;
  /** CAS: moves `refresh_at` (e.g. an idle token left to expire), lease released. */
  postponeRefresh(
    id: string,
    expectedVersion: number,
    refreshAt: Date,
    event: SfsNewTokenEvent | null,
  ): Promise<boolean>;
  /** CAS: `active` → `expired`, token material wiped. */
  markExpired(id: string, expectedVersion: number, event: SfsNewTokenEvent): Promise<boolean>;

  /**
   * In one transaction: every token of the filter that may still be live at SFS (status `active`,
   * or `expired` with `replaced_by` set and `expires_at > now`) becomes `revoking` with the reason,
   * gets an outbox row (`pending`, due now) and a `revoke_requested` event. Returns their ids.
   */
  requestRevocation(
    filter: SfsRevocationFilter,
    reason: string,
    actor: SfsActor,
    now: Date,
  ): Promise<string[]>;
  /** Claims due `pending` outbox rows (SKIP LOCKED + lease), joined with their token's material. */
  claimDueRevocations(
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<SfsRevocationWork[]>;
  /** CAS on the outbox row: delete it; token → `revoked`, `revoked_at`, material wiped; event. */
  confirmRevocation(
    revocationId: string,
    expectedVersion: number,
    event: SfsNewTokenEvent,
  ): Promise<boolean>;
  /** CAS on the outbox row: attempts+1, last_error, next_attempt_at, lease released; permanent → `failed`. */
  recordRevocationFailure(
    revocationId: string,
    expectedVersion: number,
    failure: SfsAttemptFailure,
    event: SfsNewTokenEvent,
  ): Promise<boolean>;
  /** `failed` outbox rows of a tenant (or one token) back to `pending`, due now. Returns how many. */
  retryFailedRevocations(
    tenantId: string,
    now: Date,
    actor: SfsActor,
    tokenId?: string,
  ): Promise<number>;

  /** Batched `last_used_at` update (only ever moves forward). */
  touchLastUsed(entries: ReadonlyArray<{ id: string; at: Date }>): Promise<void>;

  /**
   * Rows holding material sealed directly under a ring key (format v1, written before per-tenant
   * data keys; their key id does not start with `dek:`), by id after `afterId`.
   */
  findRingSealed(afterId: string | null, limit: number): Promise<SfsTokenRecord[]>;
  /** CAS: replaces the sealed material (key rotation). */
  reseal(
    id: string,
    expectedVersion: number,
    sealed: SfsSealedToken,
    event: SfsNewTokenEvent,
  ): Promise<boolean>;
  /** CAS: a row whose material cannot be decrypted → `failed` with the reason (no crash). */
  markUndecryptable(
    id: string,
    expectedVersion: number,
    reason: string,
    event: SfsNewTokenEvent,
  ): Promise<boolean>;
}
/** Injection token of the {@link SfsTokenStore} port. */
export const SfsTokenStore = Symbol('SfsTokenStore');

/** A change another instance made that may invalidate cached tokens. */
export interface SfsTokenChange {
  readonly tenantId: string;
  readonly tokenId: string;
}

/** How the change feed configured as `auto`, `listen` or `poll` currently learns of changes. */
export interface SfsChangeFeedStatus {
  /** The configured `changeFeed.mode`. */
  readonly configured: 'auto' | 'listen' | 'poll';
  /**
   * `listen`: a NOTIFY round trip is proven; `poll`: the change sequence is read every
   * `changeFeed.pollIntervalMs`; `degraded`: neither works right now (the cache then keeps
   * entries only `cache.degradedTtlMs`).
   */
  readonly mode: 'listen' | 'poll' | 'degraded';
  /**
   * How far behind the feed may be, in ms: in `listen`, the last probe's round trip; in `poll`,
   * the age of the last successful poll; in `degraded`, the time since the feed last worked (null
   * when it never did).
   */
  readonly lagMs: number | null;
}

/**
 * Port: cross-instance cache invalidation (LISTEN/NOTIFY, or polling the change sequence).
 * `connected` is false while the feed is degraded; the cache then shortens its lifetimes.
 */
export interface SfsTokenChangeFeed {
  readonly connected: boolean;
  /** Mode and lag, for health and metrics. */
  status(): SfsChangeFeedStatus;
  subscribe(listener: (change: SfsTokenChange) => void): () => void;
  /**
   * Registers a listener for "changes may have been missed": called when the feed loses its
   * connection and again once it is re-established. Returns its unsubscribe function.
   */
  onReset(listener: () => void): () => void;
}
/** Injection token of the {@link SfsTokenChangeFeed} port. */
export const SfsTokenChangeFeed = Symbol('SfsTokenChangeFeed');
