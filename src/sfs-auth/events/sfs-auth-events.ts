/**
 * Names of the events the module listens to and emits. Use these constants, never literals.
 *
 * @group Events
 * @publicApi
 */
export const SFS_AUTH_EVENTS = {
  /** Listened to: mint the subject's token eagerly. Payload {@link SfsLoginEvent}. */
  login: 'sfs-auth.login',
  /** Listened to: revoke every live token of the subject. Payload {@link SfsLogoutEvent}. */
  logout: 'sfs-auth.logout',
  /** Emitted after a token was minted and stored. Payload {@link SfsTokenIssuedEvent}. */
  tokenIssued: 'sfs-auth.token.issued',
  /** Emitted after a token was replaced ahead of expiry. Payload {@link SfsTokenRefreshedEvent}. */
  tokenRefreshed: 'sfs-auth.token.refreshed',
  /** Emitted after SFS confirmed a revocation. Payload {@link SfsTokenRevokedEvent}. */
  tokenRevoked: 'sfs-auth.token.revoked',
  /**
   * Emitted when a worker's refresh, revocation or re-encryption failed (a failed first mint is
   * the caller's error, not an event). Payload {@link SfsTokenFailedEvent}.
   */
  tokenFailed: 'sfs-auth.token.failed',
  /**
   * Emitted when a tenant's offboarding starts, makes progress, and ends (`status`
   * `'offboarded'`). Payload {@link SfsTenantOffboardedEvent}.
   */
  tenantOffboarded: 'sfs-auth.tenant.offboarded',
  /**
   * Emitted when SFS issued a client token in an answer that came after the request's timeout:
   * the token was recorded `revoking` and goes to the outbox. Payload {@link SfsTokenLateAnswerEvent}.
   */
  tokenLateAnswer: 'sfs-auth.token.late_answer',
} as const;

/**
 * A user of `tenantId` logged in to the host app for client `clientKey`.
 *
 * @group Events
 * @publicApi
 */
export class SfsLoginEvent {
  constructor(
    /** The user's tenant. */
    readonly tenantId: string,
    /** The SFS client to mint the user's token for. */
    readonly clientKey: string,
    /** The user (or session) the token is for. */
    readonly subjectId: string,
  ) {}
}

/**
 * A user (subject) logged out: revoke its tokens (of one client only, when `clientKey` is given).
 *
 * @group Events
 * @publicApi
 */
export class SfsLogoutEvent {
  constructor(
    /** The user's tenant. */
    readonly tenantId: string,
    /** The user (or session) whose tokens are revoked. */
    readonly subjectId: string,
    /** Only the tokens of this SFS client; every client's when absent. */
    readonly clientKey?: string,
    /** Written with the revocation in the audit trail. @default 'logout' */
    readonly reason?: string,
  ) {}
}

/**
 * Identifies a token in outbound events; never carries token material.
 *
 * @group Events
 * @publicApi
 */
export class SfsTokenEventBase {
  constructor(
    /** The token's tenant. */
    readonly tenantId: string,
    /** The token's record (the admin API's id); not the token itself. */
    readonly tokenId: string,
    /** The token's SFS client. */
    readonly clientKey: string,
    /** The token's subject, or null for the tenant's shared service token of that client. */
    readonly subjectId: string | null,
  ) {}
}

/**
 * A token was minted and stored.
 *
 * @group Events
 * @publicApi
 */
export class SfsTokenIssuedEvent extends SfsTokenEventBase {
  constructor(
    base: SfsTokenEventBase,
    /** When SFS stops accepting the token. */
    readonly expiresAt: Date,
  ) {
    super(base.tenantId, base.tokenId, base.clientKey, base.subjectId);
  }
}

/**
 * A token was replaced by `tokenId` ahead of its expiry.
 *
 * @group Events
 * @publicApi
 */
export class SfsTokenRefreshedEvent extends SfsTokenEventBase {
  constructor(
    base: SfsTokenEventBase,
    /** The record of the token it replaces (revoked through the outbox). */
    readonly previousTokenId: string,
    /** When SFS stops accepting the new token. */
    readonly expiresAt: Date,
  ) {
    super(base.tenantId, base.tokenId, base.clientKey, base.subjectId);
  }
}

/**
 * SFS confirmed the revocation of a token.
 *
 * @group Events
 * @publicApi
 */
export class SfsTokenRevokedEvent extends SfsTokenEventBase {
  constructor(
    base: SfsTokenEventBase,
    /** Why it was revoked (the logout's, the admin's or the host's reason), if one was given. */
    readonly reason: string | null,
  ) {
    super(base.tenantId, base.tokenId, base.clientKey, base.subjectId);
  }
}

/**
 * What failed, for {@link SfsTokenFailedEvent}.
 *
 * @inline
 */
export type SfsTokenOperation = 'refresh' | 'revoke' | 'reencrypt';

/**
 * SFS answered a token creation late; the token (`tokenId`, recorded `revoking`) is being revoked.
 *
 * @group Events
 * @publicApi
 */
export class SfsTokenLateAnswerEvent extends SfsTokenEventBase {}

/**
 * A refresh, revocation or re-encryption failed; `permanent` when it will not be retried.
 *
 * @group Events
 * @publicApi
 */
export class SfsTokenFailedEvent {
  constructor(
    /** The tenant of the failed work. */
    readonly tenantId: string,
    /** The token concerned, when the failure is about one. */
    readonly tokenId: string | null,
    /** What failed. */
    readonly operation: SfsTokenOperation,
    /** The failure's code (an `SfsAuthErrorCode` for the expected ones). */
    readonly code: string,
    /** Will not be retried (a revocation given up, a token marked `failed`). */
    readonly permanent: boolean,
  ) {}
}

/**
 * Where a tenant's offboarding is: revoking its tokens at SFS, purging its rows, or done.
 *
 * @inline
 */
export type SfsOffboardingStatus = 'revoking' | 'purging' | 'offboarded';

/**
 * A revocation given up during an offboarding (the token may still be live at SFS).
 *
 * @inline
 */
export interface SfsOffboardingFailure {
  /** The token record whose revocation was given up. */
  readonly tokenId: string;
  /** The last error of its revocation (a code and a safe message). */
  readonly error: string;
}

/**
 * A tenant's offboarding: its progress, and once `offboarded` the tombstone kept as proof. No
 * token material; token ids only for the revocations that were given up.
 *
 * @group Events
 * @publicApi
 */
export class SfsTenantOffboardedEvent {
  /** The tenant being offboarded. */
  readonly tenantId: string;
  /** Where the offboarding is. */
  readonly status: SfsOffboardingStatus;
  /** Why, as given when it was asked. */
  readonly reason: string;
  /** Who asked (`admin:...`, `host`). */
  readonly requestedBy: string;
  /** When it was first asked. */
  readonly requestedAt: Date;
  /** When it ended (`offboarded`), else null. */
  readonly completedAt: Date | null;
  /** Live tokens queued for revocation at SFS. */
  readonly tokensToRevoke: number;
  /** Of those, confirmed revoked (or found dead) so far. */
  readonly revoked: number;
  /** Of those, still waiting for SFS. */
  readonly pendingRevocations: number;
  /** Of those, given up (named in `failures`). */
  readonly failedRevocations: number;
  /** Token rows deleted (every row of the tenant, dead ones included). */
  readonly purgedTokens: number;
  /** Audit events deleted. */
  readonly purgedEvents: number;
  /** The revocations given up, each with its last error. */
  readonly failures: ReadonlyArray<SfsOffboardingFailure>;

  /** An event of `state`, whose fields it copies. */
  constructor(state: SfsTenantOffboardedEvent) {
    this.tenantId = state.tenantId;
    this.status = state.status;
    this.reason = state.reason;
    this.requestedBy = state.requestedBy;
    this.requestedAt = state.requestedAt;
    this.completedAt = state.completedAt;
    this.tokensToRevoke = state.tokensToRevoke;
    this.revoked = state.revoked;
    this.pendingRevocations = state.pendingRevocations;
    this.failedRevocations = state.failedRevocations;
    this.purgedTokens = state.purgedTokens;
    this.purgedEvents = state.purgedEvents;
    this.failures = state.failures;
  }
}
