import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import {
  sfsClaimKey,
  sfsClaimKeys,
  sfsRecordLostMint,
  sfsRecordMint,
  sfsReleaseKey,
} from './key-lease.queries';
import type { SfsTokenKey } from '../model/token-record';
import type { SfsKeyClaim, SfsKeyLease, SfsKeyLeaseStore, SfsMintRecord } from './key-lease.store';

/** {@link SfsKeyLeaseStore} on PostgreSQL (the SQL is in `key-lease.queries.ts`). */
@Injectable()
export class TypeOrmSfsKeyLeaseStore extends SfsTypeOrmStore implements SfsKeyLeaseStore {
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
    await this.recordLost(lost);
    return 'lost';
  }

  async recordLost(lost: SfsMintRecord): Promise<void> {
    await this.tx((sql) => sfsRecordLostMint(sql, lost));
  }
}
