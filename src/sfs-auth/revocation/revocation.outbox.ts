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
  type SfsRevocationFilter,
} from './revocation.queries';
import type {
  SfsActor,
  SfsAttemptFailure,
  SfsNewTokenEvent,
  SfsRevocationWork,
} from '../model/token-record';

/** Confirmations written in one statement at most, and such statements running at once. */
const CONFIRMATIONS_PER_STATEMENT = 64;
const CONFIRMATION_STATEMENTS_IN_FLIGHT = 2;
/**
 * How long a confirmation waits for others (SFS has revoked its token already; only the record
 * waits). Without it, an offboarding's confirmations went 3 to a statement, planned each time;
 * with it, 18, and PostgreSQL spent 1.3 s instead of 2.7 s on 15,000 of them
 * (docs/performance.md).
 */
const CONFIRMATION_LINGER_MS = 20;

export type { SfsRevocationFilter } from './revocation.queries';

/**
 * The revocation outbox. A request marks tokens `revoking` and queues them in one
 * transaction; the worker claims due rows with a lease and settles each with a compare-and-set.
 *
 * @internal
 */
@Injectable()
export class SfsRevocationOutbox extends SfsTypeOrmStore {
  private readonly confirmations = new SfsBatcher<SfsRevocationConfirmation, boolean>(
    {
      many: (all) => this.single((sql) => sfsConfirmRevocations(sql, all)),
      one: (one) => this.single(async (sql) => (await sfsConfirmRevocations(sql, [one]))[0]),
    },
    {
      maxItems: CONFIRMATIONS_PER_STATEMENT,
      maxInFlight: CONFIRMATION_STATEMENTS_IN_FLIGHT,
      lingerMs: CONFIRMATION_LINGER_MS,
    },
  );

  /**
   * In one transaction: every token of the filter that may still be live at SFS (status `active`,
   * or `expired` with `replaced_by` set and `expires_at > now`) becomes `revoking` with the reason,
   * gets an outbox row (`pending`, due now) and a `revoke_requested` event. Returns their ids.
   */
  requestRevocation(
    filter: SfsRevocationFilter,
    reason: string,
    actor: SfsActor,
    now: Date,
  ): Promise<string[]> {
    return this.tx((sql) => sfsRequestRevocation(sql, filter, reason, actor, now));
  }

  /** Claims due `pending` outbox rows (SKIP LOCKED + lease), joined with their token's material. */
  claimDueRevocations(
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<SfsRevocationWork[]> {
    return this.single((sql) => sfsClaimDueRevocations(sql, owner, now, leaseMs, limit));
  }

  /** CAS on the outbox row: delete it; token → `revoked`, `revoked_at`, material wiped; event. */
  confirmRevocation(
    revocationId: string,
    expectedVersion: number,
    event: SfsNewTokenEvent,
  ): Promise<boolean> {
    return this.confirmations.add({ revocationId, version: expectedVersion, event });
  }

  /** CAS on the outbox row: attempts+1, last_error, next_attempt_at, lease released; permanent → `failed`. */
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

  /** `failed` outbox rows of a tenant (or one token) back to `pending`, due now. Returns how many. */
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
