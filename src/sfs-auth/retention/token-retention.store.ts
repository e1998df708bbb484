/**
 * Port: deletion of rows nobody needs any more, kept apart from the other stores because it is
 * the only part that destroys history. Each call is one short transaction that claims its rows with
 * `FOR UPDATE SKIP LOCKED`, so instances purging at the same time split the work instead of waiting
 * on each other, and returns how many rows it deleted (at most `limit`).
 */
export interface SfsTokenRetentionStore {
  /**
   * Deletes up to `limit` dead token rows (`revoked`, `expired`, `failed`) whose last change and
   * expiry are both before `before`. Never deletes a row that still has an outbox row (pending or
   * failed: those are retryable) nor one that a row which must stay references via `replaced_by`.
   */
  purgeDeadTokens(before: Date, limit: number): Promise<number>;
  /** Deletes up to `limit` audit events that happened before `before`, oldest first. */
  purgeEvents(before: Date, limit: number): Promise<number>;
  /** Deletes up to `limit` rows of the change sequence recorded before `before`, oldest first. */
  purgeChanges(before: Date, limit: number): Promise<number>;
  /**
   * Deletes up to `limit` key-lease rows nobody holds and nobody claimed since `before` (a lease row
   * is written for every token key ever minted; these are the keys gone quiet).
   */
  purgeIdleLeases(before: Date, limit: number): Promise<number>;
}
/** Injection token of the {@link SfsTokenRetentionStore} port. */
export const SfsTokenRetentionStore = Symbol('SfsTokenRetentionStore');
