import type { SfsNewTokenEvent, SfsSealedToken, SfsTokenRecord } from '../model/token-record';

/** Port: the token rows the key rotation moves from ring keys to tenant data keys. */
export interface SfsReencryptionStore {
  /**
   * Rows holding material sealed directly under a ring key (format v1, written before per-tenant
   * data keys; their key id does not start with `dek:`), by id after `afterId`.
   */
  findRingSealed(afterId: string | null, limit: number): Promise<SfsTokenRecord[]>;
  /** CAS: replaces the sealed material (key rotation). */
  reseal(
    id: string,
    expectedVersion: number,
    sealed: SfsSealedToken,
    event: SfsNewTokenEvent,
  ): Promise<boolean>;
  /** CAS: a row whose material cannot be decrypted → `failed` with the reason (no crash). */
  markUndecryptable(
    id: string,
    expectedVersion: number,
    reason: string,
    event: SfsNewTokenEvent,
  ): Promise<boolean>;
}
/** Injection token of the {@link SfsReencryptionStore} port. */
export const SfsReencryptionStore = Symbol('SfsReencryptionStore');
