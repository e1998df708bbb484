import type { SfsTokenHealthGauges } from '../model/health-gauges';

/** The thresholds of the resolved `health` options the verdict compares against. */
export interface SfsHealthThresholds {
  readonly maxOverdueRefreshes: number;
  readonly maxRevocationAgeMs: number;
}

/**
 * Why the module is reported down while its database answers.
 *
 * @internal
 */
export type SfsHealthProblem = 'overdue_refreshes' | 'stale_revocations';

/**
 * What the health indicator reports while the database answers (never token material).
 *
 * @internal
 */
export interface SfsHealthDetails {
  readonly db: 'up';
  readonly overdueRefreshes: number;
  readonly pendingRevocations: number;
  /** Age of the oldest pending revocation, or null when none is pending. */
  readonly oldestPendingRevocationAgeMs: number | null;
  readonly failedRevocations: number;
  readonly failedTokens: number;
  readonly activeTokens: number;
}

/** The up/down decision and the gauges it was made on. */
export interface SfsHealthVerdict {
  readonly healthy: boolean;
  /** Empty when healthy. */
  readonly problems: SfsHealthProblem[];
  readonly details: SfsHealthDetails;
}

/**
 * Decides health from the gauges: down when more refreshes are overdue than allowed, or when the
 * oldest pending revocation is older than allowed. Failed tokens and failed revocations are
 * reported but never make the module down: they need a person, not a restart.
 */
export function sfsHealthVerdict(
  gauges: SfsTokenHealthGauges,
  nowMs: number,
  thresholds: SfsHealthThresholds,
): SfsHealthVerdict {
  const oldest = gauges.oldestPendingRevocationAt;
  // requested_at comes from another instance's clock: skew must not produce a negative age.
  const age = oldest === null ? null : Math.max(0, nowMs - oldest.getTime());
  const problems: SfsHealthProblem[] = [];
  if (gauges.overdueRefreshes > thresholds.maxOverdueRefreshes) problems.push('overdue_refreshes');
  if (age !== null && age > thresholds.maxRevocationAgeMs) problems.push('stale_revocations');
  return {
    healthy: problems.length === 0,
    problems,
    details: {
      db: 'up',
      overdueRefreshes: gauges.overdueRefreshes,
      pendingRevocations: gauges.pendingRevocations,
      oldestPendingRevocationAgeMs: age,
      failedRevocations: gauges.failedRevocations,
      failedTokens: gauges.failedTokens,
      activeTokens: gauges.activeTokens,
    },
  };
}
