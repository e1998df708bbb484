import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import { sfsFindRingSealed, sfsMarkUndecryptable, sfsReseal } from './reencryption.queries';
import type { SfsReencryptionStore } from './reencryption.store';
import type { SfsNewTokenEvent, SfsSealedToken, SfsTokenRecord } from '../model/token-record';

/** {@link SfsReencryptionStore} on PostgreSQL (the SQL is in `reencryption.queries.ts`). */
@Injectable()
export class TypeOrmSfsReencryptionStore extends SfsTypeOrmStore implements SfsReencryptionStore {
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
