import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import {
  sfsClaimDueRevocations,
  sfsConfirmRevocation,
  sfsRecordRevocationFailure,
  sfsRequestRevocation,
  sfsRetryFailedRevocations,
} from './revocation.queries';
import type {
  SfsActor,
  SfsAttemptFailure,
  SfsNewTokenEvent,
  SfsRevocationWork,
} from '../model/token-record';
import type { SfsRevocationFilter, SfsRevocationOutbox } from './revocation.outbox';

/** {@link SfsRevocationOutbox} on PostgreSQL (the SQL is in `revocation.queries.ts`). */
@Injectable()
export class TypeOrmSfsRevocationOutbox extends SfsTypeOrmStore implements SfsRevocationOutbox {
  requestRevocation(
    filter: SfsRevocationFilter,
    reason: string,
    actor: SfsActor,
    now: Date,
  ): Promise<string[]> {
    return this.tx((sql) => sfsRequestRevocation(sql, filter, reason, actor, now));
  }

  claimDueRevocations(
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<SfsRevocationWork[]> {
    return this.single((sql) => sfsClaimDueRevocations(sql, owner, now, leaseMs, limit));
  }

  confirmRevocation(
    revocationId: string,
    expectedVersion: number,
    event: SfsNewTokenEvent,
  ): Promise<boolean> {
    return this.tx((sql) => sfsConfirmRevocation(sql, revocationId, expectedVersion, event));
  }

  recordRevocationFailure(
    revocationId: string,
    expectedVersion: number,
    failure: SfsAttemptFailure,
    event: SfsNewTokenEvent,
  ): Promise<boolean> {
    return this.tx((sql) =>
      sfsRecordRevocationFailure(sql, revocationId, expectedVersion, failure, event),
    );
  }

  retryFailedRevocations(
    tenantId: string,
    now: Date,
    actor: SfsActor,
    tokenId?: string,
    reason?: string,
  ): Promise<number> {
    return this.tx((sql) => sfsRetryFailedRevocations(sql, tenantId, now, actor, tokenId, reason));
  }
}
