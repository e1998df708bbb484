import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  SfsActor,
  SfsNewTokenEvent,
  SfsRevocationWork,
  SfsSealedToken,
  SfsTokenKey,
  SfsTokenRecord,
} from '../tokens/token-record';
import {
  sfsClaimKey,
  sfsClaimKeys,
  sfsRecordLostMint,
  sfsRecordMint,
  sfsReleaseKey,
} from './key-lease.queries';
import {
  sfsClaimDueRevocations,
  sfsConfirmRevocation,
  sfsRecordRevocationFailure,
  sfsRequestRevocation,
  sfsRetryFailedRevocations,
} from './revocation.queries';
import { sfsInTransaction, sfsWithConnection, type SfsSqlSession } from './sql-session';
import { sfsFindActive } from './token.queries';
import { sfsTokenRecordFromRow, type SfsTokenRow } from './token-record.mapper';
import { sfsIsUuid } from '../tokens/identifiers';
import type {
  SfsAttemptFailure,
  SfsKeyClaim,
  SfsKeyLease,
  SfsMintRecord,
  SfsRevocationFilter,
  SfsTokenStore,
} from './token.store';
import {
  sfsClaimDueRefreshes,
  sfsFindRingSealed,
  sfsMarkExpired,
  sfsMarkUndecryptable,
  sfsPostponeRefresh,
  sfsRecordRefreshFailure,
  sfsReseal,
  sfsTouchLastUsed,
} from './token-work.queries';

/**
 * {@link SfsTokenStore} on PostgreSQL through the host's TypeORM `DataSource`: parameterised SQL
 * only (the SQL lives in the `*.queries.ts` files next to this one). Every method is one
 * statement or one short transaction; claims use `FOR UPDATE SKIP LOCKED` and leases, writes are
 * compare-and-sets on `version`. `recordMint` throws {@link SfsTokenConflictError} when another
 * active row holds the key.
 */
@Injectable()
export class TypeOrmSfsTokenStore implements SfsTokenStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private tx<T>(fn: (sql: SfsSqlSession) => Promise<T>): Promise<T> {
    return sfsInTransaction(this.dataSource, fn);
  }

  private single<T>(fn: (sql: SfsSqlSession) => Promise<T>): Promise<T> {
    return sfsWithConnection(this.dataSource, fn);
  }

  findActive(key: SfsTokenKey): Promise<SfsTokenRecord | null> {
    return this.single((sql) => sfsFindActive(sql, key));
  }

  async findById(tenantId: string, id: string): Promise<SfsTokenRecord | null> {
    if (!sfsIsUuid(id)) return null;
    const rows = await this.single((sql) =>
      sql.rows<SfsTokenRow>('SELECT * FROM sfs_client_token WHERE id = $1 AND tenant_id = $2', [
        id,
        tenantId,
      ]),
    );
    return rows.length > 0 ? sfsTokenRecordFromRow(rows[0]) : null;
  }

  claimKey(key: SfsTokenKey, owner: string, now: Date, leaseMs: number): Promise<SfsKeyClaim> {
    // Statements of their own (each commits): the claim's row lock lasts one statement, and the
    // read after it is a new snapshot that sees what the previous holder recorded.
    return this.single((sql) => sfsClaimKey(sql, key, owner, now, leaseMs));
  }

  claimKeys(
    keys: ReadonlyArray<SfsTokenKey>,
    owner: string,
    now: Date,
    leaseMs: number,
  ): Promise<SfsKeyClaim[]> {
    return this.single((sql) => sfsClaimKeys(sql, keys, owner, now, leaseMs));
  }

  async releaseKey(lease: SfsKeyLease): Promise<void> {
    await this.single((sql) => sfsReleaseKey(sql, lease));
  }

  async recordMint(
    lease: SfsKeyLease,
    mint: SfsMintRecord,
    lost: SfsMintRecord,
  ): Promise<'stored' | 'lost'> {
    if (await this.single((sql) => sfsRecordMint(sql, lease, mint))) return 'stored';
    await this.tx((sql) => sfsRecordLostMint(sql, lost));
    return 'lost';
  }

  claimDueRefreshes(
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<SfsTokenRecord[]> {
    return this.single((sql) => sfsClaimDueRefreshes(sql, owner, now, leaseMs, limit));
  }

  recordRefreshFailure(
    id: string,
    expectedVersion: number,
    failure: SfsAttemptFailure,
    event: SfsNewTokenEvent,
  ): Promise<boolean> {
    return this.tx((sql) => sfsRecordRefreshFailure(sql, id, expectedVersion, failure, event));
  }

  postponeRefresh(
    id: string,
    expectedVersion: number,
    refreshAt: Date,
    event: SfsNewTokenEvent | null,
  ): Promise<boolean> {
    return this.tx((sql) => sfsPostponeRefresh(sql, id, expectedVersion, refreshAt, event));
  }

  markExpired(id: string, expectedVersion: number, event: SfsNewTokenEvent): Promise<boolean> {
    return this.tx((sql) => sfsMarkExpired(sql, id, expectedVersion, event));
  }

  requestRevocation(
    filter: SfsRevocationFilter,
    reason: string,
    actor: SfsActor,
    now: Date,
  ): Promise<string[]> {
    return this.tx((sql) => sfsRequestRevocation(sql, filter, reason, actor, now));
  }

  claimDueRevocations(
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<SfsRevocationWork[]> {
    return this.single((sql) => sfsClaimDueRevocations(sql, owner, now, leaseMs, limit));
  }

  confirmRevocation(
    revocationId: string,
    expectedVersion: number,
    event: SfsNewTokenEvent,
  ): Promise<boolean> {
    return this.tx((sql) => sfsConfirmRevocation(sql, revocationId, expectedVersion, event));
  }

  recordRevocationFailure(
    revocationId: string,
    expectedVersion: number,
    failure: SfsAttemptFailure,
    event: SfsNewTokenEvent,
  ): Promise<boolean> {
    return this.tx((sql) =>
      sfsRecordRevocationFailure(sql, revocationId, expectedVersion, failure, event),
    );
  }

  retryFailedRevocations(
    tenantId: string,
    now: Date,
    actor: SfsActor,
    tokenId?: string,
  ): Promise<number> {
    return this.tx((sql) => sfsRetryFailedRevocations(sql, tenantId, now, actor, tokenId));
  }

  touchLastUsed(entries: ReadonlyArray<{ id: string; at: Date }>): Promise<void> {
    return this.single((sql) => sfsTouchLastUsed(sql, entries));
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
