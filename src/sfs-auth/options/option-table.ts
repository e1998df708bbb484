import type { Dispatcher } from 'undici';
import type { SfsAdminAuthorizer } from './admin-authorizer';
import type { SfsCredentialsResolver } from './credentials-resolver';
import type { SfsEncryptionKey } from './encryption-keys';
import type { SfsKeyWrapper } from './key-wrapper';
import type { SfsMetricsRecorder } from './metrics-recorder';
import type {
  SfsAuthMode,
  SfsChangeFeedMode,
  SfsCompatibleRelease,
  SfsHandoffOptions,
} from './sfs-auth-options.interface';

/**
 * Every option of `SfsAuthModuleOptions` described once, as data: where it lives, the environment
 * variable `sfsAuthOptionsFromEnv` maps to it, its default, its bounds and what it means.
 * Resolution (`resolve-sfs-auth-options.ts`), the environment mapping
 * (`sfs-auth-options-from-env.ts`), validation messages and the configuration tables of
 * `docs/configuration.md` all derive from this table; a test checks that page and the `@default`
 * tags of `sfs-auth-options.interface.ts` against it.
 */

/** What every row has. */
interface SfsOptionRowBase<P extends string> {
  /** Dotted path in `SfsAuthModuleOptions` (and in the resolved options). */
  readonly path: P;
  /** The environment variable mapped to it, if any. */
  readonly env?: string;
  /** What it means (the words of `docs/configuration.md`; links are relative to `docs/`). */
  readonly doc: string;
}

/** An integer option (numbers may come as strings, as from the environment). */
export interface SfsIntegerOptionRow<P extends string = string> extends SfsOptionRowBase<P> {
  readonly kind: 'integer';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** Said after the default in `docs/configuration.md`, e.g. `(30 days)`. */
  readonly defaultNote?: string;
}

/** A switch. */
export interface SfsBooleanOptionRow<P extends string = string> extends SfsOptionRowBase<P> {
  readonly kind: 'boolean';
  readonly default: boolean;
}

/**
 * Anything else: text checked by its own rule in `option-checks.ts`, or an object passed through.
 * `T` is its resolved value's type.
 */
export interface SfsOtherOptionRow<
  P extends string = string,
  T = unknown,
> extends SfsOptionRowBase<P> {
  readonly kind: 'other';
  /** The default column of `docs/configuration.md`. */
  readonly defaultText: string;
  /** Read by another option's check (`environment`, `caFile`), and not an option resolved itself. */
  readonly input?: true;
  /** Never set: carries `T` into {@link SfsAuthResolvedOptions}. */
  resolvesTo?(value: T): T;
}

/** One row of {@link SFS_OPTION_TABLE}. */
export type SfsOptionRow = SfsIntegerOptionRow | SfsBooleanOptionRow | SfsOtherOptionRow;

const DAY = 86_400;

/** The SFS API origin used when `baseUrl` is not given. */
export const SFS_DEFAULT_BASE_URL = 'https://api.sendforsign.com';

const integer = <P extends string>(
  path: P,
  defaultValue: number,
  min: number,
  max: number,
  doc: string,
  extra: { env?: string; defaultNote?: string } = {},
): SfsIntegerOptionRow<P> => ({
  kind: 'integer',
  path,
  default: defaultValue,
  min,
  max,
  doc,
  ...extra,
});

/** `other<T>()(path, ...)`: a row whose option resolves to a `T`. */
const other =
  <T>() =>
  <P extends string>(
    path: P,
    defaultText: string,
    doc: string,
    env?: string,
  ): SfsOtherOptionRow<P, T> => ({
    kind: 'other',
    path,
    defaultText,
    doc,
    env,
  });

const input = <P extends string>(
  path: P,
  defaultText: string,
  doc: string,
  env?: string,
): SfsOtherOptionRow<P, never> & { readonly input: true } => ({
  kind: 'other',
  path,
  defaultText,
  doc,
  env,
  input: true,
});

const boolean = <P extends string>(
  path: P,
  defaultValue: boolean,
  doc: string,
  env?: string,
): SfsBooleanOptionRow<P> => ({
  kind: 'boolean',
  path,
  default: defaultValue,
  doc,
  env,
});

/** The options, in the order of `docs/configuration.md` (options with a variable first). */
export const SFS_OPTION_TABLE = [
  other<string>()(
    'baseUrl',
    `\`${SFS_DEFAULT_BASE_URL}\``,
    'SFS API origin; must be `https://`',
    'SFS_BASE_URL',
  ),
  other<string | undefined>()(
    'apiKey',
    'none',
    'platform API key (or a `credentialsResolver` per tenant)',
    'SFS_API_KEY',
  ),
  other<string | undefined>()(
    'secret',
    'none',
    'platform API secret, required in `token` mode (or a `credentialsResolver` per tenant)',
    'SFS_SECRET',
  ),
  other<SfsAuthMode>()(
    'authMode',
    '`token`',
    '`token`, or `api-key` (testing only; refused when `NODE_ENV=production`)',
    'SFS_AUTH_MODE',
  ),
  input(
    'environment',
    'none',
    "the host's `NODE_ENV`: `production` refuses the `api-key` mode",
    'NODE_ENV',
  ),
  input('caFile', 'none', 'extra PEM CA trusted for SFS TLS (private CA, sandbox)', 'SFS_CA_FILE'),
  other<string | undefined>()(
    'caPem',
    'none',
    'the same CA as PEM text, no file needed (`\\n` escapes are read as newlines)',
    'SFS_CA_PEM',
  ),
  other<ReadonlyArray<SfsEncryptionKey>>()(
    'encryptionKeys',
    'required',
    '`id:base64key,...` (32-byte AES keys); the first wraps new tenant data keys, all unwrap (and open older rows sealed directly under a ring key)',
    'SFS_ENCRYPTION_KEYS',
  ),
  other<SfsCompatibleRelease | undefined>()(
    'compatibleWith',
    'none',
    'during a rolling upgrade, the oldest release still running on the same database (`0.1.0`): this instance then writes only what that release reads; unset it once the last such instance is gone (see [Rolling upgrades](operations.md#rolling-upgrades))',
    'SFS_COMPATIBLE_WITH',
  ),
  integer(
    'refreshLeadSeconds',
    300,
    0,
    DAY,
    'refresh this long before expiry (capped at half the lifetime; a jitter of at most a tenth of the lifetime comes on top)',
    { env: 'SFS_REFRESH_LEAD_SECONDS' },
  ),
  integer('sweepIntervalMs', 5000, 10, 3_600_000, 'how often due work is claimed', {
    env: 'SFS_SWEEP_INTERVAL_MS',
  }),
  integer(
    'sfs.maxConcurrentCalls',
    64,
    1,
    10_000,
    'SFS requests in flight per instance (bulkhead; the rest queue)',
    {
      env: 'SFS_MAX_CONCURRENT_CALLS',
      defaultNote: '(60 first mints on a 3 s SFS finish in one wave)',
    },
  ),
  other<ReadonlyArray<{ tenantId: string; key: string }>>()(
    'admin.keys',
    'none (demo: generated under `.data/`)',
    'static admin keys: `tenantId=key,...`, `*=key` for every tenant',
    'SFS_ADMIN_KEYS',
  ),
  integer(
    'admin.authFailureLimit',
    20,
    1,
    1_000_000,
    'failed admin authentications per client per window (`admin.authFailureWindowMs`) before `429`',
    { env: 'SFS_ADMIN_AUTH_FAILURE_LIMIT' },
  ),
  boolean(
    'admin.console',
    false,
    'serve the admin console at `<prefix>/sfs/admin/console` (with the admin API; also `adminApi: { console: true }`)',
    'SFS_ADMIN_CONSOLE',
  ),
  integer(
    'admin.authFailureAlarmLimit',
    100,
    1,
    100_000_000,
    "one tenant's failed admin authentications, across every client, per window that log one warning and count `sfs_auth_admin_auth_alarms_total` (an alert, never a lockout)",
    { env: 'SFS_ADMIN_AUTH_FAILURE_ALARM_LIMIT' },
  ),
  integer(
    'admin.authThrottleIpv6Prefix',
    64,
    1,
    128,
    'IPv6 clients in one network of this prefix length share one throttle budget (IPv4: one address)',
    { env: 'SFS_ADMIN_AUTH_IPV6_PREFIX' },
  ),
  integer(
    'retention.tokenSeconds',
    30 * DAY,
    1,
    3650 * DAY,
    'dead token rows (revoked, expired, failed) are purged this long after their last change',
    { env: 'SFS_RETENTION_TOKEN_SECONDS', defaultNote: '(30 days)' },
  ),
  integer(
    'retention.eventSeconds',
    90 * DAY,
    1,
    3650 * DAY,
    'audit events are purged this long after they happened',
    { env: 'SFS_RETENTION_EVENT_SECONDS', defaultNote: '(90 days)' },
  ),
  other<string | undefined>()(
    'changeFeed.listenUrl',
    "the host DataSource's connection options",
    "direct or session-mode PostgreSQL URL for the change feed's `LISTEN` connection (set it when `DATABASE_URL` goes through a transaction pooler; see [Deploying behind connection poolers](operations.md#deploying-behind-connection-poolers))",
    'SFS_LISTEN_DATABASE_URL',
  ),
  other<SfsChangeFeedMode>()(
    'changeFeed.mode',
    '`auto`',
    '`auto` (prove that a `NOTIFY` comes back on the `LISTEN` connection, else poll), `listen` (boot fails unless proven), `poll` (no `LISTEN` at all)',
    'SFS_CHANGE_FEED_MODE',
  ),
  integer(
    'changeFeed.pollIntervalMs',
    1000,
    10,
    60_000,
    'how often the change sequence is polled while polling',
    { env: 'SFS_CHANGE_FEED_POLL_INTERVAL_MS' },
  ),
  integer(
    'dataKeys.cacheTtlMs',
    300_000,
    0,
    86_400_000,
    'how long an unwrapped tenant data key stays in memory (a KMS is asked at most once per tenant and instance in this time; 0: never cached)',
    { env: 'SFS_DATA_KEY_CACHE_TTL_MS' },
  ),
  // Options without a variable.
  other<SfsKeyWrapper | undefined>()(
    'keyWrapper',
    'the `encryptionKeys` ring (`SfsRingKeyWrapper`)',
    'wraps the per-tenant data keys (an `SfsKeyWrapper`, e.g. a KMS adapter)',
  ),
  integer(
    'dataKeys.cacheMaxEntries',
    10_000,
    0,
    10_000_000,
    'most unwrapped data keys kept in memory',
  ),
  other<SfsCredentialsResolver | undefined>()(
    'credentialsResolver',
    'none',
    'per-tenant SFS credentials (an `SfsCredentialsResolver`)',
  ),
  other<Dispatcher | undefined>()(
    'dispatcher',
    'none',
    'full control of the HTTP connection pool (an undici `Agent`); overrides `caPem`',
  ),
  integer('requestTimeoutMs', 10_000, 1, 300_000, 'timeout of one HTTP request to SFS'),
  integer(
    'lateAnswerGraceMs',
    30_000,
    0,
    600_000,
    'how long a timed-out token creation is still read: a token SFS issues late is recorded and revoked (0: not read)',
  ),
  integer('retry.maxAttempts', 4, 1, 20, 'attempts per SFS call, the first included'),
  integer(
    'retry.baseDelayMs',
    200,
    0,
    60_000,
    'first backoff ceiling; each retry doubles it (full jitter)',
  ),
  integer(
    'retry.maxDelayMs',
    5000,
    0,
    600_000,
    'backoff cap, also the longest `Retry-After` honoured inside one call',
  ),
  integer(
    'shutdownTimeoutMs',
    3000,
    0,
    60_000,
    'longest wait for platform-token revocation at shutdown',
  ),
  integer(
    'cache.maxEntries',
    10_000,
    0,
    10_000_000,
    'most tokens kept in memory; 0 disables the cache',
  ),
  integer(
    'cache.ttlMs',
    300_000,
    0,
    86_400_000,
    'how long an entry may be served without a database check while invalidation works',
  ),
  integer('cache.degradedTtlMs', 1000, 0, 86_400_000, 'the same while the change feed is down'),
  boolean('workers.enabled', true, 'run the workers on a timer (off: call their `runOnce()`)'),
  integer('workers.batchSize', 100, 1, 10_000, 'rows claimed per tick'),
  integer('workers.concurrency', 8, 1, 1000, 'SFS calls in flight per tick'),
  integer(
    'workers.leaseMs',
    60_000,
    1000,
    3_600_000,
    'how long a claim (a due row, an outbox row, a key being minted) holds before another instance may take it over',
  ),
  integer(
    'workers.revocationGiveUpSeconds',
    DAY,
    1,
    30 * DAY,
    'a revocation SFS has not confirmed for this long is given up (`failed`, retryable)',
  ),
  integer(
    'workers.maxBackoffMs',
    600_000,
    1,
    86_400_000,
    'longest backoff between two attempts at the same row',
  ),
  integer(
    'idleServiceTokenSeconds',
    3600,
    1,
    30 * DAY,
    'a service token (no subject) unused this long is not refreshed, only left to expire',
  ),
  integer(
    'maxSessionAgeSeconds',
    DAY,
    1,
    365 * DAY,
    "a subject's tokens are refreshed at most this long after its first token",
  ),
  other<SfsAdminAuthorizer | undefined>()(
    'admin.authorizer',
    'none',
    'decides who may administer which tenant (an `SfsAdminAuthorizer`); takes precedence over `admin.keys`',
  ),
  integer(
    'admin.authFailureWindowMs',
    60_000,
    1000,
    86_400_000,
    'the sliding window of `admin.authFailureLimit`',
  ),
  other<SfsHandoffOptions['resolveSubject']>()(
    'handoff.resolveSubject',
    'none (no hand-off)',
    'the signed-in user of a request (`{ tenantId, clientKey, subjectId }` or `null`): turns on `GET /sfs/session/token` and its stream',
  ),
  integer(
    'handoff.maxStreamsPerSubject',
    5,
    1,
    100,
    'live token streams one subject may hold open per instance (then `429`)',
  ),
  integer('handoff.maxStreams', 1000, 1, 1_000_000, 'live token streams per instance (then `503`)'),
  integer(
    'handoff.heartbeatMs',
    25_000,
    1000,
    300_000,
    'a heartbeat on every open stream this often',
  ),
  boolean('retention.enabled', true, 'run the purge on a timer (with the workers)'),
  integer('retention.batchSize', 500, 1, 100_000, 'rows deleted per statement'),
  integer('retention.intervalMs', 3_600_000, 10, 86_400_000, 'how often the purge runs'),
  integer(
    'health.overdueAfterMs',
    60_000,
    0,
    86_400_000,
    'an active token this long past its `refresh_at` counts as overdue',
  ),
  integer(
    'health.maxOverdueRefreshes',
    0,
    0,
    10_000_000,
    'down when more refreshes than this are overdue',
  ),
  integer(
    'health.maxRevocationAgeMs',
    600_000,
    0,
    30 * 86_400_000,
    'down when the oldest pending revocation is older than this',
  ),
  other<SfsMetricsRecorder | undefined>()(
    'metrics',
    '`SfsOtelMetricsRecorder` when `@opentelemetry/api` is installed, else none',
    'where the module reports counters and SFS call latencies (an `SfsMetricsRecorder`)',
  ),
  integer(
    'changeFeed.probeIntervalMs',
    60_000,
    100,
    86_400_000,
    'how often `auto` and `listen` re-prove the `NOTIFY` round trip',
  ),
  integer(
    'changeFeed.probeTimeoutMs',
    1000,
    10,
    60_000,
    'how long a probe waits for its `NOTIFY` to come back',
  ),
] as const satisfies readonly SfsOptionRow[];

type SfsResolvedRow = Exclude<(typeof SFS_OPTION_TABLE)[number], { readonly input: true }>;
type SfsResolvedPath = SfsResolvedRow['path'];
type SfsValueOf<R> = R extends { readonly kind: 'integer' }
  ? number
  : R extends { readonly kind: 'boolean' }
    ? boolean
    : R extends SfsOtherOptionRow<string, infer T>
      ? T
      : never;
type SfsValueAt<P> = SfsValueOf<Extract<SfsResolvedRow, { readonly path: P }>>;
type SfsTopLevel<P> = P extends `${string}.${string}` ? never : P;
type SfsGroupOf<P> = P extends `${infer G}.${string}` ? G : never;
type SfsMemberOf<P, G extends string> = P extends `${G}.${infer M}` ? M : never;

/**
 * Options after defaults and validation: what the module's services read (each the slice it
 * needs). Derived from {@link SFS_OPTION_TABLE}, its one source: a row's path is where its value
 * sits, its kind (or the `T` of an `other<T>()` row) the value's type.
 */
export type SfsAuthResolvedOptions = SfsFields<SfsTopLevel<SfsResolvedPath>, ''> & {
  readonly [G in SfsGroupOf<SfsResolvedPath>]: SfsFields<SfsMemberOf<SfsResolvedPath, G>, `${G}.`>;
};

/** The fields `K` whose rows are at `${Prefix}${K}`; those that may be `undefined` are optional. */
type SfsFields<K extends string, Prefix extends string> = {
  readonly [
    F in K as undefined extends SfsValueAt<`${Prefix}${F}`> ? never : F
  ]: SfsValueAt<`${Prefix}${F}`>;
} & {
  readonly [
    F in K as undefined extends SfsValueAt<`${Prefix}${F}`> ? F : never
  ]?: SfsValueAt<`${Prefix}${F}`>;
};

/** Injection token of the validated {@link SfsAuthResolvedOptions}. */
export const SFS_AUTH_RESOLVED_OPTIONS = Symbol('SFS_AUTH_RESOLVED_OPTIONS');

/** Every row, as rows (their paths and value types widened). */
export const SFS_OPTION_ROWS: readonly SfsOptionRow[] = SFS_OPTION_TABLE;

/** The rows of integer options. */
export const SFS_INTEGER_OPTIONS = SFS_OPTION_ROWS.filter(
  (row): row is SfsIntegerOptionRow => row.kind === 'integer',
);

/** The option's name in messages: its path, and its variable when it has one. */
export function sfsOptionLabel(row: SfsOptionRow): string {
  return row.env ? `${row.path} (${row.env})` : row.path;
}

/** The value at a dotted path of a nested object (`undefined` when any step is missing). */
export function sfsValueAt(source: unknown, path: string): unknown {
  let value = source;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Sets `value` at a dotted path, creating the objects on the way. */
export function sfsSetValueAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}
