import { SfsAuthConfigError } from '../errors/sfs-auth.error';
import { parseEncryptionKeys } from '../crypto/encryption-keys';
import { parseAdminKeys } from '../admin/admin-keys';
import type { SfsAuthModuleOptions, SfsAuthResolvedOptions } from './sfs-auth-options.interface';
import {
  authMode,
  baseUrl,
  caPem,
  changeFeedMode,
  credentials,
  integer,
  listenUrl,
  type Problems,
} from './option-checks';

/** Defaults applied once, here. */
export const SFS_AUTH_DEFAULTS = {
  baseUrl: 'https://api.sendforsign.com',
  authMode: 'token',
  refreshLeadSeconds: 300,
  sweepIntervalMs: 5000,
  requestTimeoutMs: 10000,
  retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5000 },
  sfs: { maxConcurrentCalls: 64 },
  shutdownTimeoutMs: 3000,
  cache: { maxEntries: 10000, ttlMs: 300000, degradedTtlMs: 1000 },
  dataKeys: { cacheTtlMs: 300000, cacheMaxEntries: 10000 },
  workers: {
    batchSize: 100,
    concurrency: 8,
    leaseMs: 60000,
    revocationGiveUpSeconds: 86400,
    maxBackoffMs: 600000,
  },
  idleServiceTokenSeconds: 3600,
  maxSessionAgeSeconds: 86400,
  admin: { authFailureLimit: 20, authFailureWindowMs: 60_000 },
  retention: {
    tokenSeconds: 30 * 86400,
    eventSeconds: 90 * 86400,
    batchSize: 500,
    intervalMs: 3_600_000,
  },
  health: { overdueAfterMs: 60_000, maxOverdueRefreshes: 0, maxRevocationAgeMs: 600_000 },
  changeFeed: { mode: 'auto', pollIntervalMs: 1000, probeIntervalMs: 60_000, probeTimeoutMs: 1000 },
} as const;

/**
 * Applies defaults and validates every option, throwing one {@link SfsAuthConfigError} that lists
 * every problem found. Messages name options and environment variables, never secret values.
 */
export function resolveSfsAuthOptions(options: SfsAuthModuleOptions): SfsAuthResolvedOptions {
  const problems: Problems = [];
  const mode = authMode(problems, options);
  credentials(problems, options, mode);
  const keys = parseEncryptionKeys(options.encryptionKeys);
  problems.push(...keys.problems);
  const d = SFS_AUTH_DEFAULTS;
  const retry = options.retry ?? {};
  const cache = options.cache ?? {};
  const dataKeys = options.dataKeys ?? {};
  const workers = options.workers ?? {};
  const retention = options.retention ?? {};
  const health = options.health ?? {};
  const feed = options.changeFeed ?? {};
  const adminKeys = parseAdminKeys(options.admin?.keys);
  problems.push(...adminKeys.problems);
  const int = (
    name: string,
    value: number | string | undefined,
    fallback: number,
    min: number,
    max: number,
  ) => integer(problems, name, value, fallback, min, max);
  const resolved: SfsAuthResolvedOptions = {
    baseUrl: baseUrl(problems, options.baseUrl, SFS_AUTH_DEFAULTS.baseUrl),
    apiKey: options.apiKey?.trim(),
    secret: options.secret,
    credentialsResolver: options.credentialsResolver,
    authMode: mode,
    caPem: caPem(problems, options),
    dispatcher: options.dispatcher,
    encryptionKeys: keys.keys,
    keyWrapper: options.keyWrapper,
    dataKeys: {
      cacheTtlMs: int(
        'dataKeys.cacheTtlMs (SFS_DATA_KEY_CACHE_TTL_MS)',
        dataKeys.cacheTtlMs,
        d.dataKeys.cacheTtlMs,
        0,
        86_400_000,
      ),
      cacheMaxEntries: int(
        'dataKeys.cacheMaxEntries',
        dataKeys.cacheMaxEntries,
        d.dataKeys.cacheMaxEntries,
        0,
        10_000_000,
      ),
    },
    refreshLeadSeconds: int(
      'refreshLeadSeconds (SFS_REFRESH_LEAD_SECONDS)',
      options.refreshLeadSeconds,
      d.refreshLeadSeconds,
      0,
      86400,
    ),
    sweepIntervalMs: int(
      'sweepIntervalMs (SFS_SWEEP_INTERVAL_MS)',
      options.sweepIntervalMs,
      d.sweepIntervalMs,
      10,
      3_600_000,
    ),
    requestTimeoutMs: int(
      'requestTimeoutMs',
      options.requestTimeoutMs,
      d.requestTimeoutMs,
      1,
      300_000,
    ),
    retry: {
      maxAttempts: int('retry.maxAttempts', retry.maxAttempts, d.retry.maxAttempts, 1, 20),
      baseDelayMs: int('retry.baseDelayMs', retry.baseDelayMs, d.retry.baseDelayMs, 0, 60_000),
      maxDelayMs: int('retry.maxDelayMs', retry.maxDelayMs, d.retry.maxDelayMs, 0, 600_000),
    },
    sfs: {
      maxConcurrentCalls: int(
        'sfs.maxConcurrentCalls (SFS_MAX_CONCURRENT_CALLS)',
        options.sfs?.maxConcurrentCalls,
        d.sfs.maxConcurrentCalls,
        1,
        10_000,
      ),
    },
    shutdownTimeoutMs: int(
      'shutdownTimeoutMs',
      options.shutdownTimeoutMs,
      d.shutdownTimeoutMs,
      0,
      60_000,
    ),
    cache: {
      maxEntries: int('cache.maxEntries', cache.maxEntries, d.cache.maxEntries, 0, 10_000_000),
      ttlMs: int('cache.ttlMs', cache.ttlMs, d.cache.ttlMs, 0, 86_400_000),
      degradedTtlMs: int(
        'cache.degradedTtlMs',
        cache.degradedTtlMs,
        d.cache.degradedTtlMs,
        0,
        86_400_000,
      ),
    },
    workers: {
      enabled: workers.enabled ?? true,
      batchSize: int('workers.batchSize', workers.batchSize, d.workers.batchSize, 1, 10_000),
      concurrency: int('workers.concurrency', workers.concurrency, d.workers.concurrency, 1, 1000),
      leaseMs: int('workers.leaseMs', workers.leaseMs, d.workers.leaseMs, 1000, 3_600_000),
      revocationGiveUpSeconds: int(
        'workers.revocationGiveUpSeconds',
        workers.revocationGiveUpSeconds,
        d.workers.revocationGiveUpSeconds,
        1,
        30 * 86400,
      ),
      maxBackoffMs: int(
        'workers.maxBackoffMs',
        workers.maxBackoffMs,
        d.workers.maxBackoffMs,
        1,
        86_400_000,
      ),
    },
    idleServiceTokenSeconds: int(
      'idleServiceTokenSeconds',
      options.idleServiceTokenSeconds,
      d.idleServiceTokenSeconds,
      1,
      30 * 86400,
    ),
    maxSessionAgeSeconds: int(
      'maxSessionAgeSeconds',
      options.maxSessionAgeSeconds,
      d.maxSessionAgeSeconds,
      1,
      365 * 86400,
    ),
    admin: {
      authorizer: options.admin?.authorizer,
      keys: adminKeys.keys,
      authFailureLimit: int(
        'admin.authFailureLimit (SFS_ADMIN_AUTH_FAILURE_LIMIT)',
        options.admin?.authFailureLimit,
        d.admin.authFailureLimit,
        1,
        1_000_000,
      ),
      authFailureWindowMs: int(
        'admin.authFailureWindowMs',
        options.admin?.authFailureWindowMs,
        d.admin.authFailureWindowMs,
        1000,
        86_400_000,
      ),
    },
    retention: {
      enabled: retention.enabled ?? true,
      tokenSeconds: int(
        'retention.tokenSeconds',
        retention.tokenSeconds,
        d.retention.tokenSeconds,
        1,
        3650 * 86400,
      ),
      eventSeconds: int(
        'retention.eventSeconds',
        retention.eventSeconds,
        d.retention.eventSeconds,
        1,
        3650 * 86400,
      ),
      batchSize: int('retention.batchSize', retention.batchSize, d.retention.batchSize, 1, 100_000),
      intervalMs: int(
        'retention.intervalMs',
        retention.intervalMs,
        d.retention.intervalMs,
        10,
        86_400_000,
      ),
    },
    health: {
      overdueAfterMs: int(
        'health.overdueAfterMs',
        health.overdueAfterMs,
        d.health.overdueAfterMs,
        0,
        86_400_000,
      ),
      maxOverdueRefreshes: int(
        'health.maxOverdueRefreshes',
        health.maxOverdueRefreshes,
        d.health.maxOverdueRefreshes,
        0,
        10_000_000,
      ),
      maxRevocationAgeMs: int(
        'health.maxRevocationAgeMs',
        health.maxRevocationAgeMs,
        d.health.maxRevocationAgeMs,
        0,
        30 * 86_400_000,
      ),
    },
    metrics: options.metrics,
    changeFeed: {
      listenUrl: listenUrl(problems, feed.listenUrl),
      mode: changeFeedMode(problems, feed.mode),
      pollIntervalMs: int(
        'changeFeed.pollIntervalMs (SFS_CHANGE_FEED_POLL_INTERVAL_MS)',
        feed.pollIntervalMs,
        d.changeFeed.pollIntervalMs,
        10,
        60_000,
      ),
      probeIntervalMs: int(
        'changeFeed.probeIntervalMs',
        feed.probeIntervalMs,
        d.changeFeed.probeIntervalMs,
        100,
        86_400_000,
      ),
      probeTimeoutMs: int(
        'changeFeed.probeTimeoutMs',
        feed.probeTimeoutMs,
        d.changeFeed.probeTimeoutMs,
        10,
        60_000,
      ),
    },
  };
  if (problems.length > 0) throw new SfsAuthConfigError(problems);
  return resolved;
}
