import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  sfsInTransaction,
  sfsWithConnection,
  type SfsSqlSession,
} from '../persistence/sql-session';
import { sfsFindRingSealed, sfsMarkUndecryptable, sfsReseal } from './reencryption.queries';
import type { SfsReencryptionStore } from './reencryption.store';
import type { SfsNewTokenEvent, SfsSealedToken, SfsTokenRecord } from '../model/token-record';

/** {@link SfsReencryptionStore} on PostgreSQL (the SQL is in `reencryption.queries.ts`). */
@Injectable()
export class TypeOrmSfsReencryptionStore implements SfsReencryptionStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private tx<T>(fn: (sql: SfsSqlSession) => Promise<T>): Promise<T> {
    return sfsInTransaction(this.dataSource, fn);
  }

  private single<T>(fn: (sql: SfsSqlSession) => Promise<T>): Promise<T> {
    return sfsWithConnection(this.dataSource, fn);
  }

  findRingSealed(afterId: string | null, limit: number): Promise<SfsTokenRecord[]> {
    return this.single((sql) => sfsFindRingSealed(sql, afterId, limit));
  }

  reseal(
    id: string,
    expectedVersion: number,
    sealed: SfsSealedToken,
    event: SfsNewTokenEvent,
  ): Promise<boolean> {
    return this.tx((sql) => sfsReseal(sql, id, expectedVersion, sealed, event));
  }

  markUndecryptable(
    id: string,
    expectedVersion: number,
    reason: string,
    event: SfsNewTokenEvent,
  ): Promise<boolean> {
    return this.tx((sql) => sfsMarkUndecryptable(sql, id, expectedVersion, reason, event));
  }
}
