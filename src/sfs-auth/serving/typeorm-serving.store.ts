import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import { sfsFindById, sfsFindServable, sfsIsOffboarded, sfsTouchLastUsed } from './serving.queries';
import type { SfsServableRecord, SfsTokenKey, SfsTokenRecord } from '../model/token-record';
import type { SfsServingStore } from './serving.store';

/** {@link SfsServingStore} on PostgreSQL (the SQL is in `serving.queries.ts`). */
@Injectable()
export class TypeOrmSfsServingStore extends SfsTypeOrmStore implements SfsServingStore {
  findActive(key: SfsTokenKey): Promise<SfsServableRecord | null> {
    return this.single((sql) => sfsFindServable(sql, key));
  }

  findById(tenantId: string, id: string): Promise<SfsTokenRecord | null> {
    return this.single((sql) => sfsFindById(sql, tenantId, id));
  }

  touchLastUsed(entries: ReadonlyArray<{ id: string; at: Date }>): Promise<void> {
    return this.single((sql) => sfsTouchLastUsed(sql, entries));
  }

  isOffboarded(tenantId: string): Promise<boolean> {
    return this.single((sql) => sfsIsOffboarded(sql, tenantId));
  }
}
