import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sfsWithConnection, type SfsSqlSession } from '../persistence/sql-session';
import { sfsFindActive } from '../persistence/token.queries';
import { sfsFindById, sfsIsOffboarded, sfsTouchLastUsed } from './serving.queries';
import type { SfsTokenKey, SfsTokenRecord } from '../model/token-record';
import type { SfsServingStore } from './serving.store';

/** {@link SfsServingStore} on PostgreSQL (the SQL is in `serving.queries.ts`). */
@Injectable()
export class TypeOrmSfsServingStore implements SfsServingStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private single<T>(fn: (sql: SfsSqlSession) => Promise<T>): Promise<T> {
    return sfsWithConnection(this.dataSource, fn);
  }

  findActive(key: SfsTokenKey): Promise<SfsTokenRecord | null> {
    return this.single((sql) => sfsFindActive(sql, key));
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
