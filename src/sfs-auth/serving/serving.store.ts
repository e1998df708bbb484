import type { SfsServableRecord, SfsTokenKey, SfsTokenRecord } from '../model/token-record';

/** Port: the reads that serve a token, and the usage stamps of served tokens. */
export interface SfsServingStore {
  /** The active row of `key`, if any: what serving reads of it. */
  findActive(key: SfsTokenKey): Promise<SfsServableRecord | null>;
  findById(tenantId: string, id: string): Promise<SfsTokenRecord | null>;
  /** Batched `last_used_at` update (only ever moves forward). */
  touchLastUsed(entries: ReadonlyArray<{ id: string; at: Date }>): Promise<void>;
  /** Whether the tenant has an offboarding tombstone (one primary-key read). */
  isOffboarded(tenantId: string): Promise<boolean>;
}
/** Injection token of the {@link SfsServingStore} port. */
export const SfsServingStore = Symbol('SfsServingStore');
