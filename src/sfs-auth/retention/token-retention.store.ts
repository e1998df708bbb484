import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import { sfsPurgeChanges } from '../change-feed/change.queries';
import { sfsPurgeIdleLeases } from '../serving/key-lease.queries';
import { sfsPurgeDeadTokens, sfsPurgeEvents } from './retention.queries';

/**
 * Deletion of rows nobody needs any more, kept apart from the other stores because it is
 * the only part that destroys history. Each call is one short transaction that claims its rows with
 * `FOR UPDATE SKIP LOCKED`, so instances purging at the same time split the work instead of waiting
 * on each other, and returns how many rows it deleted (at most `limit`).
 *
 * @internal
 */
@Injectable()
export class SfsTokenRetentionStore extends SfsTypeOrmStore {
  /**
   * Deletes up to `limit` dead token rows (`revoked`, `expired`, `failed`) whose last change and
   * expiry are both before `before`. Never deletes a row that still has an outbox row (pending or
   * failed: those are retryable) nor one that a row which must stay references via `replaced_by`.
   */
  purgeDeadTokens(before: Date, limit: number): Promise<number> {
    return this.tx((sql) => sfsPurgeDeadTokens(sql, before, limit));
  }

  /** Deletes up to `limit` audit events that happened before `before`, oldest first. */
  purgeEvents(before: Date, limit: number): Promise<number> {
    return this.tx((sql) => sfsPurgeEvents(sql, before, limit));
  }

  /** Deletes up to `limit` rows of the change sequence recorded before `before`, oldest first. */
  purgeChanges(before: Date, limit: number): Promise<number> {
    return this.tx((sql) => sfsPurgeChanges(sql, before, limit));
  }

  /**
   * Deletes up to `limit` key-lease rows nobody holds and nobody claimed since `before` (a lease row
   * is written for every token key ever minted; these are the keys gone quiet).
   */
  purgeIdleLeases(before: Date, limit: number): Promise<number> {
    return this.tx((sql) => sfsPurgeIdleLeases(sql, before, limit));
  }
}
