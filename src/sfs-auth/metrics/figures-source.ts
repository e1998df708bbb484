import type { SfsTokenHealthFigures } from '../persistence/token-read.model';

/** Reads the module-wide figures (the module passes `SfsAuthHealthIndicator.figures`). */
export type SfsFiguresSource = () => Promise<SfsTokenHealthFigures>;

/** The gauges every adapter publishes, from one figures read: name suffix, help, value. */
export const SFS_FIGURE_GAUGES: readonly {
  readonly name: string;
  readonly help: string;
  readonly unit?: 's';
  readonly value: (figures: SfsTokenHealthFigures, now: number) => number;
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
];

/**
 * One read shared by every gauge of a collection (they are collected one after the other): null
 * when the read fails, so gauges report nothing rather than stale numbers.
 */
export function sharedFiguresRead(
  source: SfsFiguresSource,
): () => Promise<SfsTokenHealthFigures | null> {
  let inFlight: Promise<SfsTokenHealthFigures | null> | undefined;
  return () => {
    inFlight ??= source()
      .catch(() => null)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
