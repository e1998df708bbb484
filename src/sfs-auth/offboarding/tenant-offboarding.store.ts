import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import {
  sfsBeginOffboardingPurge,
  sfsCompleteOffboarding,
  sfsFindOffboarding,
  sfsListUnfinishedOffboardings,
  sfsOffboardingRevocations,
  sfsPurgeOffboardingBatch,
  sfsRequestOffboardingRevocations,
  type SfsOffboardingRecord,
  type SfsOffboardingRequest,
  type SfsOffboardingRevocations,
  type SfsPurgeBatch,
} from './offboarding.queries';

/**
 * The offboarding tombstones and the tenant-wide purge, shaped for the offboarding service.
 *
 * @internal
 */
@Injectable()
export class SfsTenantOffboardingStore extends SfsTypeOrmStore {
  find(tenantId: string): Promise<SfsOffboardingRecord | null> {
    return this.single((sql) => sfsFindOffboarding(sql, tenantId));
  }

  /**
   * One transaction: inserts the tombstone (status `revoking`) unless there is one, then, unless
   * the tenant is `offboarded` already, queues every live token of the tenant for revocation at
   * SFS (the outbox) and notifies the other instances. Idempotent.
   */
  requestRevocations(
    tenantId: string,
    reason: string,
    actor: string,
    now: Date,
  ): Promise<SfsOffboardingRequest> {
    return this.tx((sql) => sfsRequestOffboardingRevocations(sql, tenantId, reason, actor, now));
  }

  revocations(tenantId: string): Promise<SfsOffboardingRevocations> {
    return this.single((sql) => sfsOffboardingRevocations(sql, tenantId));
  }

  /**
   * `revoking` → `purging` once nothing is pending at SFS, no token is active and no token was
   * queued after `settledBefore`; records the counts and the revocations given up. `true` when the
   * tenant is (now) purging.
   */
  beginPurge(tenantId: string, settledBefore: Date): Promise<boolean> {
    return this.tx((sql) => sfsBeginOffboardingPurge(sql, tenantId, settledBefore));
  }

  /** Deletes up to `limit` audit events and `limit` token rows (with their outbox rows). */
  purgeBatch(tenantId: string, limit: number, now: Date): Promise<SfsPurgeBatch> {
    return this.tx((sql) => sfsPurgeOffboardingBatch(sql, tenantId, limit, now));
  }

  /**
   * Once no token row or event is left: deletes the tenant's key leases, change-sequence rows and
   * data key (destroyed), and marks the tombstone `offboarded`. `true` when it did.
   */
  complete(tenantId: string, now: Date): Promise<boolean> {
    return this.tx((sql) => sfsCompleteOffboarding(sql, tenantId, now));
  }

  /** Tenants whose offboarding has not ended, oldest first. */
  listUnfinished(limit: number): Promise<string[]> {
    return this.single((sql) => sfsListUnfinishedOffboardings(sql, limit));
  }
}
