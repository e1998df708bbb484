import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import { sfsFindById, sfsFindServable, sfsIsOffboarded, sfsTouchLastUsed } from './serving.queries';
import type { SfsServableRecord, SfsTokenKey, SfsTokenRecord } from '../model/token-record';

/**
 * The reads that serve a token, and the usage stamps of served tokens, on PostgreSQL (the SQL is
 * in `serving.queries.ts`).
 *
 * @internal
 */
@Injectable()
export class SfsServingStore extends SfsTypeOrmStore {
  /** The active row of `key`, if any: what serving reads of it. */
  findActive(key: SfsTokenKey): Promise<SfsServableRecord | null> {
    return this.single((sql) => sfsFindServable(sql, key));
  }

  findById(tenantId: string, id: string): Promise<SfsTokenRecord | null> {
    return this.single((sql) => sfsFindById(sql, tenantId, id));
  }

  /** Batched `last_used_at` update (only ever moves forward). */
  touchLastUsed(entries: ReadonlyArray<{ id: string; at: Date }>): Promise<void> {
    return this.single((sql) => sfsTouchLastUsed(sql, entries));
  }

  /** Whether the tenant has an offboarding tombstone (one primary-key read). */
  isOffboarded(tenantId: string): Promise<boolean> {
    return this.single((sql) => sfsIsOffboarded(sql, tenantId));
  }
}
