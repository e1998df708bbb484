import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import {
  sfsClaimDueRefreshes,
  sfsMarkExpired,
  sfsPostponeRefresh,
  sfsRecordRefreshFailure,
} from './refresh.queries';
import type { SfsAttemptFailure, SfsNewTokenEvent, SfsTokenRecord } from '../model/token-record';

/**
 * The refresh worker's queue, on PostgreSQL. Claims due rows with `FOR UPDATE SKIP LOCKED` and a lease;
 * every outcome is a compare-and-set on the row's `version`.
 *
 * @internal
 */
@Injectable()
export class SfsRefreshQueue extends SfsTypeOrmStore {
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
  ): Promise<SfsTokenRecord[]> {
    return this.single((sql) => sfsClaimDueRefreshes(sql, owner, now, leaseMs, limit));
  }

  /** CAS: attempts+1, last_error, next_attempt_at, lease released; permanent → status `failed`. */
  recordRefreshFailure(
    id: string,
    expectedVersion: number,
    failure: SfsAttemptFailure,
    event: SfsNewTokenEvent,
  ): Promise<boolean> {
    return this.tx((sql) => sfsRecordRefreshFailure(sql, id, expectedVersion, failure, event));
  }

  /** CAS: moves `refresh_at` (e.g. an idle token left to expire), lease released. */
  postponeRefresh(
    id: string,
    expectedVersion: number,
    refreshAt: Date,
    event: SfsNewTokenEvent | null,
  ): Promise<boolean> {
    return this.tx((sql) => sfsPostponeRefresh(sql, id, expectedVersion, refreshAt, event));
  }

  /** CAS: `active` → `expired`, token material wiped. */
  markExpired(id: string, expectedVersion: number, event: SfsNewTokenEvent): Promise<boolean> {
    return this.tx((sql) => sfsMarkExpired(sql, id, expectedVersion, event));
  }
}
