import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import {
  sfsClaimDueRefreshes,
  sfsMarkExpired,
  sfsPostponeRefresh,
  sfsRecordRefreshFailure,
} from './refresh.queries';
import type { SfsAttemptFailure, SfsNewTokenEvent, SfsTokenRecord } from '../model/token-record';
import type { SfsRefreshQueue } from './refresh.queue';

/** {@link SfsRefreshQueue} on PostgreSQL (the SQL is in `refresh.queries.ts`). */
@Injectable()
export class TypeOrmSfsRefreshQueue extends SfsTypeOrmStore implements SfsRefreshQueue {
  claimDueRefreshes(
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<SfsTokenRecord[]> {
    return this.single((sql) => sfsClaimDueRefreshes(sql, owner, now, leaseMs, limit));
  }

  recordRefreshFailure(
    id: string,
    expectedVersion: number,
    failure: SfsAttemptFailure,
    event: SfsNewTokenEvent,
  ): Promise<boolean> {
    return this.tx((sql) => sfsRecordRefreshFailure(sql, id, expectedVersion, failure, event));
  }

  postponeRefresh(
    id: string,
    expectedVersion: number,
    refreshAt: Date,
    event: SfsNewTokenEvent | null,
  ): Promise<boolean> {
    return this.tx((sql) => sfsPostponeRefresh(sql, id, expectedVersion, refreshAt, event));
  }

  markExpired(id: string, expectedVersion: number, event: SfsNewTokenEvent): Promise<boolean> {
    return this.tx((sql) => sfsMarkExpired(sql, id, expectedVersion, event));
  }
}
