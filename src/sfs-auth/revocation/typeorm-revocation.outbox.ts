import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import { SfsBatcher } from '../common/batcher';
import {
  sfsClaimDueRevocations,
  sfsConfirmRevocations,
  type SfsRevocationConfirmation,
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

/** Confirmations written in one statement at most, and such statements running at once. */
const CONFIRMATIONS_PER_STATEMENT = 64;
const CONFIRMATION_STATEMENTS_IN_FLIGHT = 2;

/**
 * {@link SfsRevocationOutbox} on PostgreSQL (the SQL is in `revocation.queries.ts`). Revocations
 * confirmed at the same time share one statement (group commit, `common/batcher.ts`).
 */
@Injectable()
export class TypeOrmSfsRevocationOutbox extends SfsTypeOrmStore implements SfsRevocationOutbox {
  private readonly confirmations = new SfsBatcher<SfsRevocationConfirmation, boolean>(
    {
      many: (all) => this.single((sql) => sfsConfirmRevocations(sql, all)),
      one: (one) => this.single(async (sql) => (await sfsConfirmRevocations(sql, [one]))[0]),
    },
    { maxItems: CONFIRMATIONS_PER_STATEMENT, maxInFlight: CONFIRMATION_STATEMENTS_IN_FLIGHT },
  );

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
    return this.confirmations.add({ revocationId, version: expectedVersion, event });
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
