/**
 * Lifecycle of a client-token record.
 *
 * @internal
 */
export type SfsTokenStatus = 'active' | 'revoking' | 'revoked' | 'expired' | 'failed';

/** Who caused a state change, for the audit trail. */
export type SfsActor = string; // 'system' | 'event' | `admin:<name>` | `host`

/** What a client token is for: a tenant's client, optionally one user or session. */
export interface SfsTokenKey {
  readonly tenantId: string;
  readonly clientKey: string;
  /** `null` for the tenant's shared service token of that client. */
  readonly subjectId: string | null;
}

/** Encrypted token material as stored (AES-256-GCM; iv and tag inside `ciphertext`). */
export interface SfsSealedToken {
  readonly ciphertext: Buffer;
  readonly keyId: string;
}

/** One row of `sfs_client_token`, as the store returns it. */
export interface SfsTokenRecord extends SfsTokenKey {
  readonly id: string;
  readonly status: SfsTokenStatus;
  /** `null` once the token is dead (revoked, expired) and its material wiped. */
  readonly sealed: SfsSealedToken | null;
  readonly fingerprint: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly refreshAt: Date;
  readonly lastUsedAt: Date | null;
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  readonly lastError: string | null;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: Date | null;
  readonly version: number;
  readonly revokedAt: Date | null;
  readonly revokeReason: string | null;
  /** The token that replaced this one at refresh, if any. */
  readonly replacedBy: string | null;
  /** When the chain of tokens this one belongs to began (first mint of the key); bounds session age. */
  readonly sessionStartedAt: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What serving reads of a row: whether it may be served, and the sealed token to open. */
export type SfsServableRecord = Pick<
  SfsTokenRecord,
  'id' | 'tenantId' | 'status' | 'sealed' | 'issuedAt' | 'expiresAt'
>;

/** A new row to insert (the service generates the id, since the ciphertext is bound to it). */
export interface SfsNewTokenRecord extends SfsTokenKey {
  readonly id: string;
  readonly status: 'active' | 'revoking';
  readonly sealed: SfsSealedToken;
  readonly fingerprint: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly refreshAt: Date;
  /** First mint of the chain (the previous token's value on refresh). Column `session_started_at`. */
  readonly sessionStartedAt: Date;
  /** For `revoking` rows: why (e.g. a refresh that lost its race). */
  readonly revokeReason?: string;
}

/** Audit-trail event types. */
export type SfsTokenEventType =
  | 'issued'
  | 'refreshed'
  | 'refresh_failed'
  | 'refresh_skipped'
  | 'expired'
  | 'revoke_requested'
  | 'revoked'
  | 'revoke_failed'
  | 'revoke_retried'
  | 'key_rotated'
  | 'key_missing';

/** One audit-trail entry to append. Never token material. */
export interface SfsNewTokenEvent {
  readonly tenantId: string;
  readonly tokenId: string | null;
  readonly type: SfsTokenEventType;
  readonly actor: SfsActor;
  readonly reason?: string | null;
  /** Small structured detail (ids, codes, counts). */
  readonly detail?: Record<string, string | number | boolean | null>;
  readonly at: Date;
}

/** One row of `sfs_token_event`. */
export interface SfsTokenEvent extends SfsNewTokenEvent {
  readonly id: string;
}

/** One row of `sfs_token_revocation` joined with what the worker needs of its token. */
export interface SfsRevocationWork {
  readonly id: string;
  readonly tokenId: string;
  readonly tenantId: string;
  readonly clientKey: string;
  readonly subjectId: string | null;
  readonly sealed: SfsSealedToken | null;
  readonly tokenExpiresAt: Date;
  readonly attempts: number;
  readonly version: number;
  readonly reason: string | null;
  readonly actor: SfsActor;
  readonly requestedAt: Date;
}

/** Status of an outbox row. Confirmed revocations are deleted from the outbox. */
export type SfsRevocationStatus = 'pending' | 'failed';

/** Outcome of a failed attempt, written with a compare-and-set. */
export interface SfsAttemptFailure {
  readonly error: string;
  /** When to try again; ignored when `permanent`. */
  readonly nextAttemptAt: Date | null;
  readonly permanent: boolean;
}
