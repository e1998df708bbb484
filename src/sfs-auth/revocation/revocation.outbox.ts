import type {
  SfsActor,
  SfsAttemptFailure,
  SfsNewTokenEvent,
  SfsRevocationWork,
} from '../model/token-record';

/** Which tokens a revocation request covers (all within one tenant). */
export interface SfsRevocationFilter {
  readonly tenantId: string;
  readonly tokenId?: string;
  readonly clientKey?: string;
  /** `undefined`: any subject; a string: that subject only. */
  readonly subjectId?: string;
}

/**
 * Port: the revocation outbox. A request marks tokens `revoking` and queues them in one
 * transaction; the worker claims due rows with a lease and settles each with a compare-and-set.
 */
export interface SfsRevocationOutbox {
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
  ): Promise<string[]>;
  /** Claims due `pending` outbox rows (SKIP LOCKED + lease), joined with their token's material. */
  claimDueRevocations(
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<SfsRevocationWork[]>;
  /** CAS on the outbox row: delete it; token → `revoked`, `revoked_at`, material wiped; event. */
  confirmRevocation(
    revocationId: string,
    expectedVersion: number,
    event: SfsNewTokenEvent,
  ): Promise<boolean>;
  /** CAS on the outbox row: attempts+1, last_error, next_attempt_at, lease released; permanent → `failed`. */
  recordRevocationFailure(
    revocationId: string,
    expectedVersion: number,
    failure: SfsAttemptFailure,
    event: SfsNewTokenEvent,
  ): Promise<boolean>;
  /** `failed` outbox rows of a tenant (or one token) back to `pending`, due now. Returns how many. */
  retryFailedRevocations(
    tenantId: string,
    now: Date,
    actor: SfsActor,
    tokenId?: string,
    reason?: string,
  ): Promise<number>;
}
/** Injection token of the {@link SfsRevocationOutbox} port. */
export const SfsRevocationOutbox = Symbol('SfsRevocationOutbox');
