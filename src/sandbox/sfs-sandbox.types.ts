/**
 * Platform credentials the sandbox accepts.
 *
 * @group Testing
 * @publicApi
 */
export interface SfsSandboxAccount {
  /** The platform API key (`SFS_API_KEY`). */
  apiKey: string;
  /** The platform secret (`SFS_SECRET`). */
  secret: string;
  /**
   * Client keys of this platform. When given, any other `clientKey` gets `404 Client not found`.
   * @default any client key is accepted
   */
  clientKeys?: string[];
}

/**
 * Statuses of the client-token revoke call for cases the SFS docs leave open. Whatever the status,
 * an answer outside 2xx carries a `{code,message}` body.
 *
 * @group Testing
 * @publicApi
 */
export interface SfsSandboxRevokeStatuses {
  /** The token is unknown, not a client token, or belongs to another account. @default 404 */
  unknown?: number;
  /** The token was already revoked (the answer is idempotent by default). @default 201 */
  alreadyRevoked?: number;
  /** The token has expired but was never revoked (it is marked revoked). @default 201 */
  expired?: number;
}

/**
 * How to start a sandbox.
 *
 * @group Testing
 * @publicApi
 */
export interface SfsSandboxOptions {
  /** Accounts accepted by the credentials call. @default one generated account */
  accounts?: SfsSandboxAccount[];
  /** Lifetime of platform tokens, seconds. @default 1800 */
  platformTokenLifetimeSeconds?: number;
  /** Lifetime of client tokens, seconds. @default 1800 */
  clientTokenLifetimeSeconds?: number;
  /** Port on 127.0.0.1. @default 0 (a free one) */
  port?: number;
  /** Time source for expiry, ms since epoch. @default Date.now */
  now?: () => number;
  /** Statuses of the client-token revoke call in undocumented cases. @default see type */
  revokeStatuses?: SfsSandboxRevokeStatuses;
  /** Key of the `/__sandbox/` control API (`X-Sandbox-Control` header). @default random */
  controlKey?: string;
  /** Speak another wire dialect than the module's (for `doctor` tests). @default the module's */
  dialect?: SfsSandboxDialect;
}

/**
 * How an SFS may differ from the wire shapes the module sends and expects.
 *
 * @group Testing
 * @publicApi
 */
export interface SfsSandboxDialect {
  /**
   * Request fields inside `data` under another name, by the module's field: e.g.
   * `{ clientKey: 'client_key' }` wants `client_key` and refuses a body with `clientKey`.
   */
  requestFields?: Partial<Record<'apiKey' | 'secret' | 'clientKey' | 'clientToken', string>>;
  /** Token response fields left out, e.g. `['expires_in']`. */
  omitResponseFields?: ('access_token' | 'token_type' | 'expires_in')[];
}

/**
 * One injected failure.
 *
 * @group Testing
 * @publicApi
 */
export interface SfsSandboxFault {
  /** Only a call of this kind takes this fault (queued faults only). @default any kind */
  kind?: SfsSandboxCallKind;
  /** Answer with this status (and a `{code,message}` body). */
  status?: number;
  /** `Retry-After` header value, for 429/503. */
  retryAfter?: string;
  /** Destroy the socket without answering. */
  reset?: boolean;
  /** Never answer (the client's timeout fires). */
  hang?: boolean;
  /** Extra latency before answering (or before the fault). */
  delayMs?: number;
}

/**
 * Random faults applied to calls (each roll independent).
 *
 * @group Testing
 * @publicApi
 */
export interface SfsSandboxFaultProfile {
  /** Added latency, uniform in [min, max] ms. */
  latencyMs?: [number, number];
  /** Probability per status, e.g. `{500: 0.1, 503: 0.05, 429: 0.05}`. */
  statusRates?: Record<number, number>;
  /** `Retry-After` (seconds) sent with injected 429/503. @default '1' */
  retryAfterSeconds?: number;
  /** Probability of a connection reset. */
  resetRate?: number;
  /** Probability of never answering. */
  hangRate?: number;
  /**
   * Probability of answering normally (the call takes effect) but only after `lateMs`: past a
   * client's timeout, SFS did what was asked though the client gave up waiting.
   */
  lateRate?: number;
  /** How late a `lateRate` answer comes, in ms. @default 5000 */
  lateMs?: number;
  /** Only calls of these kinds are faulted. @default all */
  kinds?: SfsSandboxCallKind[];
  /** Seed of the pseudo-random rolls, for reproducible runs. @default random */
  seed?: number;
}

/**
 * What an SFS call was, judged from its path, method, headers and body (even when malformed).
 *
 * @group Testing
 * @publicApi
 */
export type SfsSandboxCallKind =
  | 'platform.create'
  | 'platform.revoke'
  | 'client.create'
  | 'client.revoke'
  | 'contract.list'
  | 'unknown';

/**
 * One call the sandbox received, as logged.
 *
 * @group Testing
 * @publicApi
 */
export interface SfsSandboxCall {
  /** Order of arrival, from 1. */
  seq: number;
  /** Arrival time, from the sandbox's `now`. */
  at: number;
  /** The HTTP method. */
  method: string;
  /** The request's path, e.g. `/api/token`. */
  path: string;
  /** Which call it was. */
  kind: SfsSandboxCallKind;
  /** Lower-cased header names; secrets masked unless `reveal` was asked. */
  headers: Record<string, string>;
  /** The raw request body text (secrets masked unless `reveal`). */
  rawBody: string;
  /** Parsed JSON body, if it parsed (secrets masked unless `reveal`). */
  body: unknown;
  /** Status answered; `0` while pending, and for a reset or a hang (no answer). */
  status: number;
  /** The `message` of an error answer, if any. */
  errorMessage?: string;
  /** The fault injected, if any. */
  fault?: SfsSandboxFault;
  /** Token issued by this call (masked unless `reveal`). */
  issuedToken?: string;
  /** Token the call authenticated with or revoked (masked unless `reveal`). */
  usedToken?: string;
  /** Token the call asked to revoke (masked unless `reveal`). */
  revokedToken?: string;
  /** Client key the call concerned, if any. */
  clientKey?: string;
}

/**
 * Filter and masking of {@link SfsSandboxCall} reads.
 *
 * @group Testing
 * @publicApi
 */
export interface SfsSandboxCallFilter {
  /** Only calls of this kind. */
  kind?: SfsSandboxCallKind;
  /** Return secrets and tokens as received (and `rawBody` byte for byte). @default false */
  reveal?: boolean;
}

/**
 * What a token is for: the platform (credentials call) or one client.
 *
 * @group Testing
 * @publicApi
 */
export type SfsSandboxTokenKind = 'platform' | 'client';

/**
 * A token the sandbox issued, with its state. Contains the token itself: test use only.
 *
 * @group Testing
 * @publicApi
 */
export interface SfsSandboxTokenInfo {
  /** The token itself. */
  token: string;
  /** A platform or a client token. */
  kind: SfsSandboxTokenKind;
  /** Account (platform API key) the token belongs to. */
  apiKey: string;
  /** Client of a client token. */
  clientKey?: string;
  /** Times in ms since epoch, from the sandbox's `now`. */
  issuedAt: number;
  /** When it expires (ms since epoch). */
  expiresAt: number;
  /** When it was revoked (ms since epoch), if it was. */
  revokedAt?: number;
  /** Neither expired nor revoked at the sandbox's `now`. */
  active: boolean;
}

/**
 * Token lifetimes in seconds, as `expires_in` reports them.
 *
 * @group Testing
 * @publicApi
 */
export interface SfsSandboxLifetimes {
  /** Of platform tokens (the credentials call). */
  platform: number;
  /** Of client tokens. */
  client: number;
}

/**
 * Counts of the calls logged since the last reset.
 *
 * @group Testing
 * @publicApi
 */
export interface SfsSandboxStats {
  /** Calls logged. */
  total: number;
  /** Calls that took an injected fault. */
  faulted: number;
  /** Per kind: total and per status (`"0"` = no answer). */
  byKind: Partial<
    Record<
      SfsSandboxCallKind,
      {
        /** Calls of that kind. */
        total: number;
        /** Calls of that kind per status answered. */
        byStatus: Record<string, number>;
      }
    >
  >;
  /** Per status over all kinds. */
  byStatus: Record<string, number>;
}
