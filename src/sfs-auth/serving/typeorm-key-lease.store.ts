import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sfsLockKeyAsRelease010 } from '../compatibility/release-0.1';
import { SfsTokenConflictError } from '../errors/sfs-auth.error';
import {
  SFS_AUTH_RESOLVED_OPTIONS,
  type SfsAuthResolvedOptions,
} from '../options/sfs-auth-options.interface';
import { sfsInTransaction } from '../persistence/sql-session';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import { SfsBatcher } from '../common/batcher';
import {
  sfsClaimKey,
  sfsClaimKeys,
  sfsRecordLostMint,
  sfsRecordMint,
  sfsRecordMints,
  sfsReleaseKey,
  type SfsLeasedMint,
} from './key-lease.queries';
import type { SfsTokenKey } from '../model/token-record';
import type { SfsKeyClaim, SfsKeyLease, SfsKeyLeaseStore, SfsMintRecord } from './key-lease.store';

/** Longest wait for 0.1.0's key lock: its mint holds it across one SFS call with retries. */
const RELEASE_010_LOCK_WAIT_MS = 60_000;

/**
 * Mints recorded in one statement at most, and such statements running at once: recordings that
 * arrive while one runs wait for the next one (`common/batcher.ts`). One at a time made batches
 * half as many again as two did at L=0 (3.8 rows instead of 2.5) and PostgreSQL's CPU per refresh
 * a quarter less (`npm run bench refresh`), with the same refresh efficiency at L=50 ms.
 */
const RECORDINGS_PER_STATEMENT = 64;
const RECORDING_STATEMENTS_IN_FLIGHT = 1;

/**
 * {@link SfsKeyLeaseStore} on PostgreSQL (the SQL is in `key-lease.queries.ts`). Mints recorded
 * at the same time share one statement (group commit), so a busy refresh pass records many rows
 * per round trip and an idle one records each at once.
 */
@Injectable()
export class TypeOrmSfsKeyLeaseStore extends SfsTypeOrmStore implements SfsKeyLeaseStore {
  private readonly release010: boolean;
  private readonly recordings = new SfsBatcher<SfsLeasedMint, boolean>(
    {
      many: (mints) => this.single((sql) => sfsRecordMints(sql, mints)),
      one: ({ lease, mint }) => this.single((sql) => sfsRecordMint(sql, lease, mint)),
    },
    { maxItems: RECORDINGS_PER_STATEMENT, maxInFlight: RECORDING_STATEMENTS_IN_FLIGHT },
  );

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    { compatibleWith }: Pick<SfsAuthResolvedOptions, 'compatibleWith'> = {},
  ) {
    super(dataSource);
    this.release010 = compatibleWith === '0.1.0';
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
    if (this.release010) return this.recordMintBeside010(lease, mint, lost);
    if (await this.recordings.add({ lease, mint })) return 'stored';
    await this.recordLost(lost);
    return 'lost';
  }

  /**
   * While 0.1.0 instances run (`compatibility/release-0.1.ts`): recorded holding 0.1.0's key lock,
   * which waits for a 0.1.0 mint of the key in progress (it holds the lock across its SFS call,
   * hence the longer lock wait). An active row found then is that mint's: this token lost.
   */
  private async recordMintBeside010(
    lease: SfsKeyLease,
    mint: SfsMintRecord,
    lost: SfsMintRecord,
  ): Promise<'stored' | 'lost'> {
    try {
      const stored = await sfsInTransaction(
        this.dataSource,
        async (sql) => {
          await sfsLockKeyAsRelease010(sql, lease.key);
          return sfsRecordMint(sql, lease, mint);
        },
        { lockTimeoutMs: RELEASE_010_LOCK_WAIT_MS, statementTimeoutMs: RELEASE_010_LOCK_WAIT_MS },
      );
      if (stored) return 'stored';
    } catch (error) {
      if (!(error instanceof SfsTokenConflictError)) throw error;
      await this.releaseKey(lease);
    }
    await this.recordLost(lost);
    return 'lost';
  }

  async recordLost(lost: SfsMintRecord): Promise<void> {
    await this.tx((sql) => sfsRecordLostMint(sql, lost));
  }
}
