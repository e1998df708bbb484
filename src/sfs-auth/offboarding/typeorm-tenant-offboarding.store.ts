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
} from './offboarding.queries';
import type {
  SfsOffboardingRecord,
  SfsOffboardingRequest,
  SfsOffboardingRevocations,
  SfsPurgeBatch,
  SfsTenantOffboardingStore,
} from './tenant-offboarding.store';

/** {@link SfsTenantOffboardingStore} on PostgreSQL (SQL in `offboarding.queries.ts`). */
@Injectable()
export class TypeOrmSfsTenantOffboardingStore
  extends SfsTypeOrmStore
  implements SfsTenantOffboardingStore
{
  find(tenantId: string): Promise<SfsOffboardingRecord | null> {
    return this.single((sql) => sfsFindOffboarding(sql, tenantId));
  }

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

  beginPurge(tenantId: string, settledBefore: Date): Promise<boolean> {
    return this.tx((sql) => sfsBeginOffboardingPurge(sql, tenantId, settledBefore));
  }

  purgeBatch(tenantId: string, limit: number, now: Date): Promise<SfsPurgeBatch> {
    return this.tx((sql) => sfsPurgeOffboardingBatch(sql, tenantId, limit, now));
  }

  complete(tenantId: string, now: Date): Promise<boolean> {
    return this.tx((sql) => sfsCompleteOffboarding(sql, tenantId, now));
  }

  listUnfinished(limit: number): Promise<string[]> {
    return this.single((sql) => sfsListUnfinishedOffboardings(sql, limit));
  }
}
