import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sfsPurgeChanges } from '../change-feed/change.queries';
import { sfsPurgeIdleLeases } from '../serving/key-lease.queries';
import { sfsPurgeDeadTokens, sfsPurgeEvents } from './retention.queries';
import { sfsInTransaction } from '../persistence/sql-session';
import type { SfsTokenRetentionStore } from './token-retention.store';

/**
 * {@link SfsTokenRetentionStore} on PostgreSQL through the host's TypeORM `DataSource` (SQL in
 * `retention.queries.ts`). Each purge is one statement in its own transaction, so row locks are
 * held only for one batch.
 */
@Injectable()
export class TypeOrmSfsTokenRetentionStore implements SfsTokenRetentionStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  purgeDeadTokens(before: Date, limit: number): Promise<number> {
    return sfsInTransaction(this.dataSource, (sql) => sfsPurgeDeadTokens(sql, before, limit));
  }

  purgeEvents(before: Date, limit: number): Promise<number> {
    return sfsInTransaction(this.dataSource, (sql) => sfsPurgeEvents(sql, before, limit));
  }

  purgeChanges(before: Date, limit: number): Promise<number> {
    return sfsInTransaction(this.dataSource, (sql) => sfsPurgeChanges(sql, before, limit));
  }

  purgeIdleLeases(before: Date, limit: number): Promise<number> {
    return sfsInTransaction(this.dataSource, (sql) => sfsPurgeIdleLeases(sql, before, limit));
  }
}
