import type { Dispatcher } from 'undici';
import type { SfsAdminAuthorizer } from './admin-authorizer';
import type { SfsKeyWrapper } from './key-wrapper';
import type { SfsMetricsRecorder } from './metrics-recorder';
import type { SfsCredentialsResolver } from './credentials-resolver';

/**
 * How the module authenticates calls to SFS.
 *
 * @inline
 */
export type SfsAuthMode = 'token' | 'api-key';

/**
 * One AES-256 key of the key ring.
 *
 * @inline
 */
export interface SfsEncryptionKeyInput {
  /** Short identifier stored next to each ciphertext (1–32 chars of `[A-Za-z0-9_-]`). */
  id: string;
  /** 32 bytes, base64 encoded. */
  key: string;
}

/**
 * Retry policy for transient SFS failures (5xx, timeouts, resets, 429).
 *
 * @group Options
 * @publicApi
 */
export interface SfsRetryOptions {
  /** Attempts per call including the first. @default 4 */
  maxAttempts?: number | string;
  /** First backoff ceiling; each retry doubles it (full jitter). @default 200 */
  baseDelayMs?: number | string;
  /** Backoff cap, also the longest `Retry-After` honoured inside one call. @default 5000 */
  maxDelayMs?: number | string;
}

/**
 * Options of {@link SfsAuthModule}. Numbers may be given as strings (as they come from the
 * environment); everything is parsed and validated at boot, every problem reported at once in
 * one {@link SfsAuthConfigError}.
 *
 * @group Options
 * @publicApi
 */
export interface SfsAuthModuleOptions {
  /** SFS API origin; must be `https://`. @default 'https://api.sendforsign.com' */
  baseUrl?: string;
  /** Platform API key (required unless `credentialsResolver` is given). */
  apiKey?: string;
  /** Platform API secret (required in `token` mode unless `credentialsResolver` is given). */
  secret?: string;
  /** Per-tenant SFS credentials; defaults to `apiKey`/`secret` for every tenant. */
  credentialsResolver?: SfsCredentialsResolver;
  /** `token`, or `api-key` (testing only, refused when `environment` is `production`). @default 'token' */
  authMode?: SfsAuthMode;
  /** The host's `NODE_ENV`; `production` refuses the api-key mode. @default undefined */
  environment?: string;
  /** Extra PEM CA trusted for SFS TLS, in addition to the system roots (`SFS_CA_PEM`). @default undefined */
  caPem?: string;
  /** Path of a PEM file read at boot, same meaning as `caPem` (`SFS_CA_FILE`). @default undefined */
  caFile?: string;
  /** Full control of the HTTP connection pool (an undici `Agent`); overrides `caPem`. */
  dispatcher?: Dispatcher;
  /**
   * Key ring: `id:base64key,...` or a list; the first wraps new data keys (and fingerprints come
   * from the last), all unwrap. Required, even with a `keyWrapper`.
   */
  encryptionKeys?: string | SfsEncryptionKeyInput[];
  /**
   * Wraps the per-tenant data keys (e.g. a KMS adapter). @default the `encryptionKeys` ring
   */
  keyWrapper?: SfsKeyWrapper;
  /** In-memory cache of unwrapped per-tenant data keys. */
  dataKeys?: SfsDataKeyOptions;
  /**
   * During a rolling upgrade, the oldest release still running on the same database: this
   * instance then writes only what that release reads (material sealed as it seals it, and each
   * new token recorded under its key lock). Unset it once the last instance of that release is
   * gone (`SFS_COMPATIBLE_WITH`). @default undefined
   */
  compatibleWith?: SfsCompatibleRelease;
  /** Refresh this long before expiry (capped at half the lifetime). @default 300 */
  refreshLeadSeconds?: number | string;
  /** How often due work is claimed. @default 5000 */
  sweepIntervalMs?: number | string;
  /** Timeout of one HTTP request to SFS. @default 10000 */
  requestTimeoutMs?: number | string;
  /**
   * How long a client-token creation that timed out is still read. SFS may have issued the token
   * anyway: one that arrives late is recorded (encrypted, `revoking`) and revoked through the
   * outbox, so no live token exists that the module does not know. 0: not read. @default 30000
   */
  lateAnswerGraceMs?: number | string;
  /** Retry policy for transient SFS failures. */
  retry?: SfsRetryOptions;
  /** Limits on the calls this instance makes to SFS. */
  sfs?: SfsCallOptions;
  /** Longest wait for platform-token revocation at shutdown. @default 3000 */
  shutdownTimeoutMs?: number | string;
  /** In-memory token cache. */
  cache?: SfsCacheOptions;
  /** Refresh and revocation workers. */
  workers?: SfsWorkerOptions;
  /** A service token (no subject) unused this long is not refreshed, only left to expire. @default 3600 */
  idleServiceTokenSeconds?: number | string;
  /** A subject's tokens are refreshed at most this long after its first token. @default 86400 */
  maxSessionAgeSeconds?: number | string;
  /** Tenant admin REST API (mounted with the `adminApi: true` extra). */
  admin?: SfsAdminOptions;
  /** The browser hand-off: `GET /sfs/session/token` and its live stream (off without `resolveSubject`). */
  handoff?: SfsHandoffOptions;
  /** Purging of dead token rows and old audit events. */
  retention?: SfsRetentionOptions;
  /** Thresholds of `SfsAuthHealthIndicator`. */
  health?: SfsHealthOptions;
  /** Where the module reports counters and SFS call latencies. @default no-op */
  metrics?: SfsMetricsRecorder;
  /** How instances learn of each other's revocations (cache invalidation). */
  changeFeed?: SfsChangeFeedOptions;
}

/**
 * A release an instance can run beside during a rolling upgrade (`compatibleWith`).
 *
 * @inline
 */
export type SfsCompatibleRelease = '0.1.0';

/**
 * `auto` (prove LISTEN works, else poll), `listen` or `poll`.
 *
 * @inline
 */
export type SfsChangeFeedMode = 'auto' | 'listen' | 'poll';

/**
 * Cross-instance cache invalidation. Behind a transaction pooler (PgBouncer, Supavisor, RDS Proxy)
 * a LISTEN through the pooler receives nothing: give `listenUrl` (direct or session mode), or let
 * `auto` fall back to polling the change sequence.
 *
 * @group Options
 * @publicApi
 */
export interface SfsChangeFeedOptions {
  /**
   * PostgreSQL URL of the session connection that LISTENs (`SFS_LISTEN_DATABASE_URL`): a direct
   * or session-mode endpoint. @default the host DataSource's connection options
   */
  listenUrl?: string;
  /**
   * `auto`: LISTEN, proven at boot and every `probeIntervalMs` by a NOTIFY sent through the
   * DataSource; while unproven, poll (one warning). `listen`: LISTEN only; the boot fails when the
   * round trip is not proven. `poll`: poll only, no LISTEN connection (`SFS_CHANGE_FEED_MODE`).
   * @default 'auto'
   */
  mode?: SfsChangeFeedMode;
  /** How often the change sequence is polled (`SFS_CHANGE_FEED_POLL_INTERVAL_MS`). @default 1000 */
  pollIntervalMs?: number | string;
  /** How often `auto` and `listen` re-prove the NOTIFY round trip. @default 60000 */
  probeIntervalMs?: number | string;
  /** How long a probe waits for its NOTIFY to come back. @default 1000 */
  probeTimeoutMs?: number | string;
}

/**
 * Limits on the calls one instance makes to SFS.
 *
 * @group Options
 * @publicApi
 */
export interface SfsCallOptions {
  /**
   * Bulkhead: HTTP requests to SFS in flight at once per instance (`SFS_MAX_CONCURRENT_CALLS`);
   * the rest wait in line, first come first served, so a login storm cannot open unbounded
   * sockets. The default lets 60 concurrent first mints on a 3 s SFS finish in one wave.
   * @default 64
   */
  maxConcurrentCalls?: number | string;
}

/**
 * Tenant admin REST API.
 *
 * @group Options
 * @publicApi
 */
export interface SfsAdminOptions {
  /** Decides who may administer which tenant; takes precedence over `keys`. */
  authorizer?: SfsAdminAuthorizer;
  /**
   * Static admin keys for the shipped key authorizer: `tenantId=key,...` (`*=key` for every
   * tenant) or a record; keys of at least 16 characters (`SFS_ADMIN_KEYS`).
   */
  keys?: string | Readonly<Record<string, string>>;
  /**
   * Failed admin authentications one client (its address as Express reports it, so `trust proxy`
   * applies) may make within `authFailureWindowMs` before every further admin request from it
   * answers `429` with `Retry-After` until the window lets it in again. Counted per instance
   * (`SFS_ADMIN_AUTH_FAILURE_LIMIT`). @default 20
   */
  authFailureLimit?: number | string;
  /**
   * Serve the admin console (a page for tenant admins, a client of the admin API) at
   * `<prefix>/sfs/admin/console`, with the admin API (`SFS_ADMIN_CONSOLE`; or the extra
   * `adminApi: { console: true }`). @default false
   */
  console?: boolean | string;
  /** The sliding window of `authFailureLimit` and `authFailureAlarmLimit`. @default 60000 */
  authFailureWindowMs?: number | string;
  /**
   * Failed admin authentications for one tenant, across every client, within
   * `authFailureWindowMs` that log one warning and count `countAdminAuthAlarm` on the metrics
   * recorder, once per window. An alert only: nobody is locked out, so guessing cannot lock a
   * tenant's admins out (`SFS_ADMIN_AUTH_FAILURE_ALARM_LIMIT`). @default 100
   */
  authFailureAlarmLimit?: number | string;
  /**
   * IPv6 clients in one network of this prefix length share one throttle budget, as one IPv4
   * address does: one subscriber usually holds a whole /64 (`SFS_ADMIN_AUTH_IPV6_PREFIX`).
   * @default 64
   */
  authThrottleIpv6Prefix?: number | string;
}

/**
 * Who is signed in, as the host's own authentication (passport, JWT, session) says.
 *
 * @group Options
 * @publicApi
 */
export interface SfsHandoffSubject {
  /** The user's tenant. */
  readonly tenantId: string;
  /** The SFS client whose token the browser gets. */
  readonly clientKey: string;
  /** The user (or session): the same `subjectId` the host's login event names. */
  readonly subjectId: string;
}

/**
 * The browser hand-off of a signed-in user's client token.
 *
 * @group Options
 * @publicApi
 */
export interface SfsHandoffOptions {
  /**
   * The signed-in user of a request (the platform's request object, after the host's guards and
   * middleware: `request.user` under passport), or `null` for no one (then `401`). The hand-off
   * serves only the token of the subject this returns.
   */
  resolveSubject?: (
    request: unknown,
  ) => SfsHandoffSubject | null | Promise<SfsHandoffSubject | null>;
  /** Live streams one subject may hold open on one instance (one per tab). @default 5 */
  maxStreamsPerSubject?: number | string;
  /** Live streams one instance holds open at most. @default 1000 */
  maxStreams?: number | string;
  /** A heartbeat on every open stream this often, so proxies keep it open. @default 25000 */
  heartbeatMs?: number | string;
}

/**
 * Retention of dead rows (revoked, expired, failed) and audit events.
 *
 * @group Options
 * @publicApi
 */
export interface SfsRetentionOptions {
  /** Run the purge on a timer (with the workers). @default true */
  enabled?: boolean;
  /** Dead token rows are deleted this long after their last change. @default 2592000 (30 days) */
  tokenSeconds?: number | string;
  /** Audit events are deleted this long after they happened. @default 7776000 (90 days) */
  eventSeconds?: number | string;
  /** Rows deleted per statement. @default 500 */
  batchSize?: number | string;
  /** How often the purge runs. @default 3600000 */
  intervalMs?: number | string;
}

/**
 * When the health indicator reports the module down.
 *
 * @group Options
 * @publicApi
 */
export interface SfsHealthOptions {
  /** An active token this long past its `refresh_at` counts as overdue. @default 60000 */
  overdueAfterMs?: number | string;
  /** Down when more refreshes than this are overdue. @default 0 */
  maxOverdueRefreshes?: number | string;
  /** Down when the oldest pending revocation is older than this. @default 600000 */
  maxRevocationAgeMs?: number | string;
}

/**
 * In-memory cache of decrypted tokens (per instance).
 *
 * @group Options
 * @publicApi
 */
export interface SfsCacheOptions {
  /** Most tokens kept; 0 disables the cache. @default 10000 */
  maxEntries?: number | string;
  /** How long an entry may be served without a database check while invalidation works. @default 300000 */
  ttlMs?: number | string;
  /** The same while the invalidation feed (LISTEN/NOTIFY) is down. @default 1000 */
  degradedTtlMs?: number | string;
}

/**
 * Unwrapped per-tenant data keys kept in memory (per instance).
 *
 * @group Options
 * @publicApi
 */
export interface SfsDataKeyOptions {
  /**
   * How long an unwrapped data key is kept (`SFS_DATA_KEY_CACHE_TTL_MS`): a KMS is asked at most
   * once per tenant and instance in this time; a key destroyed or revoked elsewhere stops being
   * usable here after at most this long. 0 disables the cache. @default 300000
   */
  cacheTtlMs?: number | string;
  /** Most data keys kept. @default 10000 */
  cacheMaxEntries?: number | string;
}

/**
 * Background workers (one of each per instance; instances share work through the database).
 *
 * @group Options
 * @publicApi
 */
export interface SfsWorkerOptions {
  /** Run the refresh and revocation workers on a timer. Off: call their `runOnce()`. @default true */
  enabled?: boolean;
  /** Rows claimed per tick. @default 100 */
  batchSize?: number | string;
  /** SFS calls in flight per tick. @default 8 */
  concurrency?: number | string;
  /**
   * How long a claim (a due row, an outbox row, or a key being minted) is held before another
   * instance may take it over; covers an SFS call with its retries. @default 60000
   */
  leaseMs?: number | string;
  /** A revocation SFS has not confirmed for this long is given up (`failed`, retryable). @default 86400 */
  revocationGiveUpSeconds?: number | string;
  /** Longest backoff between two attempts at the same row. @default 600000 */
  maxBackoffMs?: number | string;
}
