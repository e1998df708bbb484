import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  sfsInTransaction,
  sfsWithConnection,
  type SfsSqlSession,
} from '../persistence/sql-session';
import {
  sfsFindKeysWrappedNotUnder,
  sfsFindTenantKey,
  sfsInsertTenantKey,
  sfsRewrapTenantKeys,
} from './tenant-key.queries';
import type { SfsDataKeyRewrap, SfsStoredDataKey, SfsTenantKeyStore } from './tenant-key.store';

/** {@link SfsTenantKeyStore} on PostgreSQL (SQL in `tenant-key.queries.ts`). */
@Injectable()
export class TypeOrmSfsTenantKeyStore implements SfsTenantKeyStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private single<T>(fn: (sql: SfsSqlSession) => Promise<T>): Promise<T> {
    return sfsWithConnection(this.dataSource, fn);
  }

  find(tenantId: string): Promise<SfsStoredDataKey | null> {
    return this.single((sql) => sfsFindTenantKey(sql, tenantId));
  }

  insertIfAbsent(key: Omit<SfsStoredDataKey, 'version'>, now: Date): Promise<SfsStoredDataKey> {
    return this.single((sql) => sfsInsertTenantKey(sql, key, now));
  }

  findWrappedNotUnder(
    wrappingKeyId: string,
    afterTenantId: string | null,
    limit: number,
  ): Promise<SfsStoredDataKey[]> {
    return this.single((sql) =>
      sfsFindKeysWrappedNotUnder(sql, wrappingKeyId, afterTenantId, limit),
    );
  }

  rewrap(keys: ReadonlyArray<SfsDataKeyRewrap>, now: Date): Promise<number> {
    return sfsInTransaction(this.dataSource, (sql) => sfsRewrapTenantKeys(sql, keys, now));
  }
}
