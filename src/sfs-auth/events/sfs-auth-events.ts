/** Names of the events the module listens to and emits. Use these constants, never literals. */
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

/** A user of `tenantId` logged in to the host app for client `clientKey`. */
export class SfsLoginEvent {
  constructor(
    readonly tenantId: string,
    readonly clientKey: string,
    readonly subjectId: string,
  ) {}
}

/** A user (subject) logged out: revoke its tokens (of one client only, when `clientKey` is given). */
export class SfsLogoutEvent {
  constructor(
    readonly tenantId: string,
    readonly subjectId: string,
    readonly clientKey?: string,
    readonly reason?: string,
  ) {}
}

/** Identifies a token in outbound events; never carries token material. */
export class SfsTokenEventBase {
  constructor(
    readonly tenantId: string,
    readonly tokenId: string,
    readonly clientKey: string,
    readonly subjectId: string | null,
  ) {}
}

/** A token was minted and stored. */
export class SfsTokenIssuedEvent extends SfsTokenEventBase {
  constructor(
    base: SfsTokenEventBase,
    readonly expiresAt: Date,
  ) {
    super(base.tenantId, base.tokenId, base.clientKey, base.subjectId);
  }
}

/** A token was replaced by `tokenId` ahead of its expiry. */
export class SfsTokenRefreshedEvent extends SfsTokenEventBase {
  constructor(
    base: SfsTokenEventBase,
    readonly previousTokenId: string,
    readonly expiresAt: Date,
  ) {
    super(base.tenantId, base.tokenId, base.clientKey, base.subjectId);
  }
}

/** SFS confirmed the revocation of a token. */
export class SfsTokenRevokedEvent extends SfsTokenEventBase {
  constructor(
    base: SfsTokenEventBase,
    readonly reason: string | null,
  ) {
    super(base.tenantId, base.tokenId, base.clientKey, base.subjectId);
  }
}

/** What failed, for {@link SfsTokenFailedEvent}. */
export type SfsTokenOperation = 'refresh' | 'revoke' | 'reencrypt';

/** SFS answered a token creation late; the token (`tokenId`, recorded `revoking`) is being revoked. */
export class SfsTokenLateAnswerEvent extends SfsTokenEventBase {}

/** A refresh, revocation or re-encryption failed; `permanent` when it will not be retried. */
export class SfsTokenFailedEvent {
  constructor(
    readonly tenantId: string,
    readonly tokenId: string | null,
    readonly operation: SfsTokenOperation,
    readonly code: string,
    readonly permanent: boolean,
  ) {}
}

/** Where a tenant's offboarding is: revoking its tokens at SFS, purging its rows, or done. */
export type SfsOffboardingStatus = 'revoking' | 'purging' | 'offboarded';

/** A revocation given up during an offboarding (the token may still be live at SFS). */
export interface SfsOffboardingFailure {
  readonly tokenId: string;
  readonly error: string;
}

/**
 * A tenant's offboarding: its progress, and once `offboarded` the tombstone kept as proof. No
 * token material; token ids only for the revocations that were given up.
 */
export class SfsTenantOffboardedEvent {
  constructor(
    readonly tenantId: string,
    readonly status: SfsOffboardingStatus,
    readonly reason: string,
    /** Who asked (`admin:...`, `host`). */
    readonly requestedBy: string,
    readonly requestedAt: Date,
    readonly completedAt: Date | null,
    /** Live tokens queued for revocation at SFS. */
    readonly tokensToRevoke: number,
    /** Of those, confirmed revoked (or found dead) so far. */
    readonly revoked: number,
    /** Of those, still waiting for SFS. */
    readonly pendingRevocations: number,
    /** Of those, given up (named in `failures`). */
    readonly failedRevocations: number,
    /** Token rows deleted (every row of the tenant, dead ones included). */
    readonly purgedTokens: number,
    /** Audit events deleted. */
    readonly purgedEvents: number,
    readonly failures: ReadonlyArray<SfsOffboardingFailure>,
  ) {}
}
