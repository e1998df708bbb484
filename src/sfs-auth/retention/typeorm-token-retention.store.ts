import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import { sfsPurgeChanges } from '../change-feed/change.queries';
import { sfsPurgeIdleLeases } from '../serving/key-lease.queries';
import { sfsPurgeDeadTokens, sfsPurgeEvents } from './retention.queries';
import type { SfsTokenRetentionStore } from './token-retention.store';

/**
 * {@link SfsTokenRetentionStore} on PostgreSQL through the host's TypeORM `DataSource` (SQL in
 * `retention.queries.ts`). Each purge is one statement in its own transaction, so row locks are
 * held only for one batch.
 */
@Injectable()
export class TypeOrmSfsTokenRetentionStore
  extends SfsTypeOrmStore
  implements SfsTokenRetentionStore
{
  purgeDeadTokens(before: Date, limit: number): Promise<number> {
    return this.tx((sql) => sfsPurgeDeadTokens(sql, before, limit));
  }

  purgeEvents(before: Date, limit: number): Promise<number> {
    return this.tx((sql) => sfsPurgeEvents(sql, before, limit));
  }

  purgeChanges(before: Date, limit: number): Promise<number> {
    return this.tx((sql) => sfsPurgeChanges(sql, before, limit));
  }

  purgeIdleLeases(before: Date, limit: number): Promise<number> {
    return this.tx((sql) => sfsPurgeIdleLeases(sql, before, limit));
  }
}
