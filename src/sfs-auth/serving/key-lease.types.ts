import type {
  SfsNewTokenEvent,
  SfsNewTokenRecord,
  SfsTokenKey,
  SfsTokenRecord,
} from '../model/token-record';

/** A held claim on a token key: who, until when, and the fence that proves it is still ours. */
export interface SfsKeyLease {
  readonly key: SfsTokenKey;
  readonly owner: string;
  /** Bumped by every claim of the key (a bigint, as text). */
  readonly fence: string;
  readonly expiresAt: Date;
}

/** What {@link SfsKeyLeaseStore.claimKey} found. */
export interface SfsKeyClaim {
  /** The lease, or `null` when another claimant holds it and it has not run out. */
  readonly lease: SfsKeyLease | null;
  /** When `lease` is `null`: when the other claimant's lease runs out (`null`: released since). */
  readonly heldUntil: Date | null;
  /** The key's active row, read after the claim (it sees what the previous holder recorded). */
  readonly current: SfsTokenRecord | null;
}

/** A token row to insert, its events, and the row it replaces (if any). */
export interface SfsMintRecord {
  readonly record: SfsNewTokenRecord;
  readonly events: SfsNewTokenEvent[];
  /**
   * The previous token of the key: it becomes `expired` with `replaced_by` set (a row that
   * expired or failed meanwhile keeps its status and is linked). A revocation that took it first
   * (`revoking`, `revoked`) makes the mint lose.
   */
  readonly retire?: { id: string };
}
