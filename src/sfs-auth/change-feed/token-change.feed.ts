import type { SfsChangeFeedStatus } from '../model/health-gauges';

/** A change another instance made that may invalidate cached tokens. */
export interface SfsTokenChange {
  readonly tenantId: string;
  readonly tokenId: string;
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
