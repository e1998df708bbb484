import type {
  SfsAuthMode,
  SfsAuthModuleOptions,
  SfsChangeFeedMode,
} from './sfs-auth-options.interface';

/** Anything that reads configuration by name: `@nestjs/config`'s `ConfigService`, or a plain record. */
export type SfsEnvSource =
  { get(key: string): unknown } | Readonly<Record<string, string | undefined>>;

function reader(source: SfsEnvSource): (key: string) => string | undefined {
  const get =
    typeof (source as { get?: unknown }).get === 'function'
      ? (key: string) => (source as { get(key: string): unknown }).get(key)
      : (key: string) => (source as Record<string, string | undefined>)[key];
  return (key) => {
    const value = get(key);
    if (value === undefined || value === null || value === '') return undefined;
    return String(value);
  };
}

/**
 * Maps the environment variables of the README's configuration table to module options. Values are
 * passed through as strings; `resolveSfsAuthOptions` validates them at boot.
 */
export function sfsAuthOptionsFromEnv(source: SfsEnvSource): SfsAuthModuleOptions {
  const env = reader(source);
  return {
    baseUrl: env('SFS_BASE_URL'),
    apiKey: env('SFS_API_KEY'),
    secret: env('SFS_SECRET'),
    authMode: env('SFS_AUTH_MODE') as SfsAuthMode | undefined,
    environment: env('NODE_ENV'),
    caFile: env('SFS_CA_FILE'),
    // One-line env files (and CI secrets) often carry a PEM with its newlines escaped.
    caPem: env('SFS_CA_PEM')?.replace(/\\n/g, '\n'),
    encryptionKeys: env('SFS_ENCRYPTION_KEYS'),
    dataKeys: { cacheTtlMs: env('SFS_DATA_KEY_CACHE_TTL_MS') },
    refreshLeadSeconds: env('SFS_REFRESH_LEAD_SECONDS'),
    sweepIntervalMs: env('SFS_SWEEP_INTERVAL_MS'),
    sfs: { maxConcurrentCalls: env('SFS_MAX_CONCURRENT_CALLS') },
    admin: {
      keys: env('SFS_ADMIN_KEYS'),
      authFailureLimit: env('SFS_ADMIN_AUTH_FAILURE_LIMIT'),
    },
    retention: {
      tokenSeconds: env('SFS_RETENTION_TOKEN_SECONDS'),
      eventSeconds: env('SFS_RETENTION_EVENT_SECONDS'),
    },
    changeFeed: {
      listenUrl: env('SFS_LISTEN_DATABASE_URL'),
      mode: env('SFS_CHANGE_FEED_MODE') as SfsChangeFeedMode | undefined,
      pollIntervalMs: env('SFS_CHANGE_FEED_POLL_INTERVAL_MS'),
    },
  };
}
