import type { SfsGaugesSource } from '../options/metrics-recorder';
import type { SfsAuthHealthGauges } from '../model/health-gauges';

/** The change-feed modes the mode gauge reports (1 for the one in use, 0 for the others). */
export const SFS_CHANGE_FEED_MODES = ['listen', 'poll', 'degraded'] as const;

/**
 * The gauges every adapter publishes, from one gauges read: name suffix, help, value (NaN: no
 * value, e.g. a change feed that has not measured its lag yet).
 */
export const SFS_GAUGES: readonly {
  readonly name: string;
  readonly help: string;
  readonly unit?: 's';
  readonly value: (gauges: SfsAuthHealthGauges, now: number) => number;
}[] = [
  {
    name: 'overdue_refreshes',
    help: 'Active tokens past their refresh time',
    value: (f) => f.overdueRefreshes,
  },
  {
    name: 'pending_revocations',
    help: 'Revocations SFS has not confirmed yet',
    value: (f) => f.pendingRevocations,
  },
  {
    name: 'failed_revocations',
    help: 'Revocations given up (retryable)',
    value: (f) => f.failedRevocations,
  },
  { name: 'failed_tokens', help: 'Token rows in status failed', value: (f) => f.failedTokens },
  { name: 'active_tokens', help: 'Token rows in status active', value: (f) => f.activeTokens },
  {
    name: 'oldest_pending_revocation_age',
    help: 'Age of the oldest pending revocation (0 when none)',
    unit: 's',
    value: (f, now) =>
      f.oldestPendingRevocationAt
        ? Math.max(0, (now - f.oldestPendingRevocationAt.getTime()) / 1000)
        : 0,
  },
  {
    name: 'change_feed_lag',
    help: 'How far behind the change feed may be (listen: probe round trip; poll: age of the last poll)',
    unit: 's',
    value: (f) => (f.changeFeed.lagMs === null ? NaN : f.changeFeed.lagMs / 1000),
  },
];

/**
 * One read shared by every gauge of a collection (they are collected one after the other): null
 * when the read fails, so gauges report nothing rather than stale numbers.
 */
export function sharedGaugesRead(
  source: SfsGaugesSource,
): () => Promise<SfsAuthHealthGauges | null> {
  let inFlight: Promise<SfsAuthHealthGauges | null> | undefined;
  return () => {
    inFlight ??= source()
      .catch(() => null)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
