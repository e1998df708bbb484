/** Module-wide gauges for health checks and metrics (all tenants). */
export interface SfsTokenHealthGauges {
  /** Active tokens whose `refresh_at` is older than `now - overdueAfterMs`. */
  readonly overdueRefreshes: number;
  /** Revocations SFS has not confirmed yet (the outbox's pending rows). */
  readonly pendingRevocations: number;
  /** When the oldest pending revocation was asked, or null when none is pending. */
  readonly oldestPendingRevocationAt: Date | null;
  /** Revocations given up (`failed`, retryable from the admin API). */
  readonly failedRevocations: number;
  /** Token rows in status `failed`. */
  readonly failedTokens: number;
  /** Token rows in status `active`. */
  readonly activeTokens: number;
}

/**
 * How the change feed configured as `auto`, `listen` or `poll` currently learns of changes.
 *
 * @inline
 */
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
 * The module-wide gauges of `SfsAuthHealthIndicator.gauges()`, also read by metrics gauges.
 *
 * @group Health
 * @publicApi
 */
export interface SfsAuthHealthGauges extends SfsTokenHealthGauges {
  /** How this instance learns of other instances' revocations, and how far behind it may be. */
  readonly changeFeed: SfsChangeFeedStatus;
}
