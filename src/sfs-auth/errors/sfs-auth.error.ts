/**
 * Every failure the module reports on purpose has one of these codes.
 *
 * @group Errors
 * @publicApi
 */
export type SfsAuthErrorCode =
  | 'CONFIG_INVALID'
  | 'INVALID_INPUT'
  | 'SFS_CREDENTIALS_REJECTED'
  | 'SFS_TOKEN_REJECTED'
  | 'SFS_REQUEST_REJECTED'
  | 'SFS_RATE_LIMITED'
  | 'SFS_UNAVAILABLE'
  | 'SFS_TIMEOUT'
  | 'SFS_NETWORK'
  | 'SFS_BAD_RESPONSE'
  | 'TOKEN_NOT_FOUND'
  | 'TOKEN_CONFLICT'
  | 'ENCRYPTION_KEY_MISSING'
  | 'DECRYPTION_FAILED'
  | 'SHUTTING_DOWN'
  | 'ADMIN_UNAUTHENTICATED'
  | 'ADMIN_FORBIDDEN'
  | 'ADMIN_THROTTLED'
  | 'TOKEN_NOT_ACTIVE'
  | 'CHANGE_FEED_UNPROVEN'
  | 'TENANT_OFFBOARDED';

/**
 * Identifiers that help find the failing work; never secrets or token material.
 *
 * @inline
 */
export interface SfsAuthErrorContext {
  tenantId?: string;
  clientKey?: string;
  subjectId?: string;
  tokenId?: string;
  /** HTTP status SFS answered with, when the failure came from SFS. */
  status?: number;
  /** For retryable SFS failures: how long SFS asked us to wait (`Retry-After`). */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Base of every expected failure. `retryable` tells callers and workers whether the same call may
 * succeed later; messages are built from identifiers only, so they are safe to log.
 *
 * @group Errors
 * @publicApi
 */
export class SfsAuthError extends Error {
  /** The tenant of the failing work, when there is one. */
  readonly tenantId?: string;
  /** The SFS client of the failing work, when there is one. */
  readonly clientKey?: string;
  /** The subject (user or session) of the failing work, when there is one. */
  readonly subjectId?: string;
  /** The token record concerned, when there is one. */
  readonly tokenId?: string;
  /** The HTTP status SFS answered with, when the failure came from SFS. */
  readonly status?: number;
  /** For retryable SFS failures: how long SFS asked to wait (`Retry-After`), in ms. */
  readonly retryAfterMs?: number;

  constructor(
    /** What failed; each code has an entry in the troubleshooting guide. */
    readonly code: SfsAuthErrorCode,
    message: string,
    /** Whether the same call may succeed later. */
    readonly retryable: boolean,
    context: SfsAuthErrorContext = {},
  ) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.tenantId = context.tenantId;
    this.clientKey = context.clientKey;
    this.subjectId = context.subjectId;
    this.tokenId = context.tokenId;
    this.status = context.status;
    this.retryAfterMs = context.retryAfterMs;
  }
}

/**
 * Invalid module options: every problem found, reported at once at boot.
 *
 * @group Errors
 * @publicApi
 */
export class SfsAuthConfigError extends SfsAuthError {
  constructor(
    /** Every problem found, one sentence each, naming the option (and its variable, if any). */
    readonly problems: readonly string[],
  ) {
    super(
      'CONFIG_INVALID',
      `Invalid SfsAuthModule options:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      false,
    );
  }
}

/**
 * A caller passed an invalid identifier or argument; `field` names it.
 *
 * @group Errors
 * @publicApi
 */
export class SfsInvalidInputError extends SfsAuthError {
  constructor(
    /** The invalid argument or field (`tenantId`, `reason`, `limit`...). */
    readonly field: string,
    problem: string,
  ) {
    super('INVALID_INPUT', `${field} ${problem}`, false);
  }
}

/**
 * SFS (or the path to it) failed; `code` says how, `retryable` whether to try again.
 *
 * @group Errors
 * @publicApi
 */
export class SfsApiError extends SfsAuthError {}

/**
 * A token record that does not exist (or belongs to another tenant).
 *
 * @internal
 */
export class SfsTokenNotFoundError extends SfsAuthError {
  constructor(tenantId: string, tokenId: string) {
    super('TOKEN_NOT_FOUND', `token ${tokenId} not found in tenant ${tenantId}`, false, {
      tenantId,
      tokenId,
    });
  }
}

const ADMIN_ACCESS = {
  unauthenticated: ['ADMIN_UNAUTHENTICATED', () => 'admin credentials are missing or invalid'],
  forbidden: ['ADMIN_FORBIDDEN', (tenantId: string) => `not an admin of tenant ${tenantId}`],
  throttled: ['ADMIN_THROTTLED', () => 'too many failed admin authentications; retry later'],
  'cross-site': [
    'ADMIN_FORBIDDEN',
    () => 'admin changes from another site are refused (Sec-Fetch-Site)',
  ],
  'read-only': [
    'ADMIN_FORBIDDEN',
    (tenantId: string) => `read-only admin access to tenant ${tenantId}: it may look, not act`,
  ],
} as const;

/**
 * An admin request without valid credentials (`unauthenticated`), for another tenant
 * (`forbidden`), a change asked with read-only access (`read-only`, a 403 too) or by a page of
 * another site (`cross-site`, a 403: cookie-based host sign-in cannot be ridden), or from a client
 * past its failed-authentication limit (`throttled`, with `retryAfterMs`).
 *
 * @internal
 */
export class SfsAdminAccessError extends SfsAuthError {
  constructor(
    readonly reason: 'unauthenticated' | 'forbidden' | 'read-only' | 'cross-site' | 'throttled',
    tenantId: string,
    retryAfterMs?: number,
  ) {
    const [code, message] = ADMIN_ACCESS[reason];
    super(code, message(tenantId), reason === 'throttled', { tenantId, retryAfterMs });
  }
}

/**
 * An `active` token could not be recorded because another active row already holds its key (the
 * one-active-token-per-key index). Nothing was written; the caller holds a freshly minted token
 * and revokes it. Retryable: the other row is what the next read serves.
 *
 * @internal
 */
export class SfsTokenConflictError extends SfsAuthError {
  constructor(
    key: {
      readonly tenantId: string;
      readonly clientKey: string;
      readonly subjectId: string | null;
    },
    tokenId: string,
  ) {
    super(
      'TOKEN_CONFLICT',
      `token ${tokenId} not inserted: another active token exists for client ${key.clientKey} of tenant ${key.tenantId}`,
      true,
      {
        tenantId: key.tenantId,
        clientKey: key.clientKey,
        subjectId: key.subjectId ?? undefined,
        tokenId,
      },
    );
  }
}

/**
 * An operation that needs an `active` token was asked of a token in another state.
 *
 * @internal
 */
export class SfsTokenNotActiveError extends SfsAuthError {
  constructor(tenantId: string, tokenId: string, status: string) {
    super('TOKEN_NOT_ACTIVE', `token ${tokenId} is ${status}, not active`, false, {
      tenantId,
      tokenId,
    });
  }
}

/**
 * The tenant is being offboarded, or was: its tokens are no longer served and no new token is
 * minted for it (`SfsTokenService.offboardTenant`).
 *
 * @group Errors
 * @publicApi
 */
export class SfsTenantOffboardedError extends SfsAuthError {
  constructor(tenantId: string) {
    super(
      'TENANT_OFFBOARDED',
      `tenant ${tenantId} is offboarded: no token is served or minted`,
      false,
      {
        tenantId,
      },
    );
  }
}
