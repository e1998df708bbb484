import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sfsLockKeyAsRelease010 } from '../compatibility/release-0.1';
import { SfsTokenConflictError } from '../errors/sfs-auth.error';
import { SFS_AUTH_RESOLVED_OPTIONS, type SfsAuthResolvedOptions } from '../options/option-table';
import { sfsInTransaction } from '../persistence/sql-session';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import { SfsBatcher } from '../common/batcher';
import { SFS_INSTANCE_ID } from '../scheduling/instance-id';
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
import type { SfsKeyClaim, SfsKeyLease, SfsMintRecord } from './key-lease.types';

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

export type { SfsKeyLease, SfsKeyClaim, SfsMintRecord } from './key-lease.types';

/**
 * The key leases of the one mint flow ({@link SfsTokenMinter}). A short statement claims a
 * key and commits, SFS is called with no connection checked out, and the result is recorded only
 * while the claim's fence still holds.
 *
 * @internal
 */
@Injectable()
export class SfsKeyLeaseStore extends SfsTypeOrmStore {
  private readonly release010: boolean;
  private readonly recordings = new SfsBatcher<SfsLeasedMint, boolean>(
    {
      many: (mints) => this.single((sql) => sfsRecordMints(sql, mints)),
      one: ({ lease, mint }) => this.single((sql) => sfsRecordMint(sql, lease, mint)),
    },
    { maxItems: RECORDINGS_PER_STATEMENT, maxInFlight: RECORDING_STATEMENTS_IN_FLIGHT },
  );

  /** How long this instance's leases last (`workers.leaseMs`). */
  readonly leaseMs: number;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    {
      compatibleWith,
      workers = { leaseMs: 0 },
    }: Partial<Pick<SfsAuthResolvedOptions, 'compatibleWith'>> & {
      readonly workers?: Pick<SfsAuthResolvedOptions['workers'], 'leaseMs'>;
    } = {},
    /** The claimant this instance is ({@link claimHere}). */
    @Optional() @Inject(SFS_INSTANCE_ID) readonly owner: string = 'unnamed',
  ) {
    super(dataSource);
    this.release010 = compatibleWith === '0.1.0';
    this.leaseMs = workers.leaseMs;
  }

  /** {@link claimKey} as this instance, for `workers.leaseMs`. */
  claimHere(key: SfsTokenKey, now: Date): Promise<SfsKeyClaim> {
    return this.claimKey(key, this.owner, now, this.leaseMs);
  }

  /**
   * Claims `key`'s lease for `owner` until `now + leaseMs` (when free or run out; the fence moves
   * on) in one statement that commits, then reads the key's active row. Nothing is held afterwards but
   * the lease row's values: the caller calls SFS with no connection checked out.
   */
  claimKey(key: SfsTokenKey, owner: string, now: Date, leaseMs: number): Promise<SfsKeyClaim> {
    // Statements of their own (each commits): the claim's row lock lasts one statement, and the
    // read after it is a new snapshot that sees what the previous holder recorded.
    return this.single((sql) => sfsClaimKey(sql, key, owner, now, leaseMs));
  }

  /**
   * {@link claimKey} for many distinct keys in two statements, in their order; a key another
   * claimant holds comes back with no lease (and `heldUntil` unknown).
   */
  claimKeys(
    keys: ReadonlyArray<SfsTokenKey>,
    owner: string,
    now: Date,
    leaseMs: number,
  ): Promise<SfsKeyClaim[]> {
    return this.single((sql) => sfsClaimKeys(sql, keys, owner, now, leaseMs));
  }

  /** Gives a lease up; a no-op when it was taken over meanwhile. */
  async releaseKey(lease: SfsKeyLease): Promise<void> {
    await this.single((sql) => sfsReleaseKey(sql, lease));
  }

  /**
   * One statement (atomic on its own): while `lease` still holds (same owner and fence), releases
   * it and stores `mint` (`'stored'`). Otherwise (taken over, or a revocation took the replaced
   * row) a short transaction stores `lost` instead, a `revoking` row that goes to the outbox
   * (`'lost'`). Throws
   * {@link SfsTokenConflictError} if another active row holds the key.
   */
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

  /** Stores a token nobody holds (a late answer) as `lost`: a `revoking` row with its outbox row. */
  async recordLost(lost: SfsMintRecord): Promise<void> {
    await this.tx((sql) => sfsRecordLostMint(sql, lost));
  }
}
