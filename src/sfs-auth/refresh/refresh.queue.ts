import type { SfsAttemptFailure, SfsNewTokenEvent, SfsTokenRecord } from '../model/token-record';

/**
 * Port: the refresh worker's queue. Claims due rows with `FOR UPDATE SKIP LOCKED` and a lease;
 * every outcome is a compare-and-set on the row's `version`.
 */
export interface SfsRefreshQueue {
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
}
/** Injection token of the {@link SfsRefreshQueue} port. */
export const SfsRefreshQueue = Symbol('SfsRefreshQueue');
