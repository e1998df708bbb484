import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import { sfsFindRingSealed, sfsMarkUndecryptable, sfsReseal } from './reencryption.queries';
import type { SfsNewTokenEvent, SfsSealedToken, SfsTokenRecord } from '../model/token-record';

/**
 * The token rows the key rotation moves from ring keys to tenant data keys.
 *
 * @internal
 */
@Injectable()
export class SfsReencryptionStore extends SfsTypeOrmStore {
  /**
   * Rows holding material sealed directly under a ring key (format v1, written before per-tenant
   * data keys; their key id does not start with `dek:`), by id after `afterId`.
   */
  findRingSealed(afterId: string | null, limit: number): Promise<SfsTokenRecord[]> {
    return this.single((sql) => sfsFindRingSealed(sql, afterId, limit));
  }

  /** CAS: replaces the sealed material (key rotation). */
  reseal(
    id: string,
    expectedVersion: number,
    sealed: SfsSealedToken,
    event: SfsNewTokenEvent,
  ): Promise<boolean> {
    return this.tx((sql) => sfsReseal(sql, id, expectedVersion, sealed, event));
  }

  /** CAS: a row whose material cannot be decrypted → `failed` with the reason (no crash). */
  markUndecryptable(
    id: string,
    expectedVersion: number,
    reason: string,
    event: SfsNewTokenEvent,
  ): Promise<boolean> {
    return this.tx((sql) => sfsMarkUndecryptable(sql, id, expectedVersion, reason, event));
  }
}
