import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import { sfsInTransaction } from '../persistence/sql-session';
import {
  sfsFindKeysWrappedNotUnder,
  sfsFindTenantKey,
  sfsInsertTenantKey,
  sfsRewrapTenantKeys,
} from './tenant-key.queries';
import type { SfsDataKeyRewrap, SfsStoredDataKey } from './tenant-key.types';

export type { SfsStoredDataKey, SfsDataKeyRewrap } from './tenant-key.types';

/**
 * The per-tenant data keys, shaped for `SfsTenantDataKeys` and key rotation.
 *
 * @internal
 */
@Injectable()
export class SfsTenantKeyStore extends SfsTypeOrmStore {
  find(tenantId: string): Promise<SfsStoredDataKey | null> {
    return this.single((sql) => sfsFindTenantKey(sql, tenantId));
  }

  /** Inserts unless the tenant has a key already; returns the tenant's key (this one or that one). */
  insertIfAbsent(key: Omit<SfsStoredDataKey, 'version'>, now: Date): Promise<SfsStoredDataKey> {
    return this.single((sql) => sfsInsertTenantKey(sql, key, now));
  }

  /** Keys wrapped under another key than `wrappingKeyId`, in tenant order after `afterTenantId`. */
  findWrappedNotUnder(
    wrappingKeyId: string,
    afterTenantId: string | null,
    limit: number,
  ): Promise<SfsStoredDataKey[]> {
    return this.single((sql) =>
      sfsFindKeysWrappedNotUnder(sql, wrappingKeyId, afterTenantId, limit),
    );
  }

  /**
   * One transaction: each key whose row is still at its version gets its new wrapping and a
   * `key_rotated` audit event (no token id). Returns how many were written.
   */
  rewrap(keys: ReadonlyArray<SfsDataKeyRewrap>, now: Date): Promise<number> {
    return sfsInTransaction(this.dataSource, (sql) => sfsRewrapTenantKeys(sql, keys, now));
  }
}
