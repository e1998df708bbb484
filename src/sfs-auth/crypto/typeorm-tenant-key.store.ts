import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import { sfsInTransaction } from '../persistence/sql-session';
import {
  sfsFindKeysWrappedNotUnder,
  sfsFindTenantKey,
  sfsInsertTenantKey,
  sfsRewrapTenantKeys,
} from './tenant-key.queries';
import type { SfsDataKeyRewrap, SfsStoredDataKey, SfsTenantKeyStore } from './tenant-key.store';

/** {@link SfsTenantKeyStore} on PostgreSQL (SQL in `tenant-key.queries.ts`). */
@Injectable()
export class TypeOrmSfsTenantKeyStore extends SfsTypeOrmStore implements SfsTenantKeyStore {
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
