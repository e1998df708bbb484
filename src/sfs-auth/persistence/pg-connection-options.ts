import type { ClientConfig } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { sfsAssertPostgres } from '../options/config-assertions';

/**
 * node-postgres client settings equivalent to the host DataSource's own pool (the master of a
 * replicated setup), built the way TypeORM's postgres driver builds them, `extra` included.
 */
export function sfsPgClientConfig(options: DataSourceOptions): ClientConfig {
  sfsAssertPostgres(options);
  const credentials = options.replication?.master ?? options;
  return {
    connectionString: credentials.url,
    host: credentials.host,
    port: credentials.port,
    user: credentials.username,
    password: credentials.password,
    database: credentials.database,
    // TypeORM types `ssl` with node's TlsOptions; pg wants ConnectionOptions: same object at runtime.
    ssl: credentials.ssl as ClientConfig['ssl'],
    connectionTimeoutMillis: options.connectTimeoutMS,
    application_name: options.applicationName ?? credentials.applicationName,
    ...((options.extra as Record<string, unknown> | undefined) ?? {}),
  };
}

/**
 * Settings of the change feed's LISTEN connection: the DataSource's own (TLS, timeouts, `extra`)
 * pointed at `listenUrl` when given, so that only the endpoint differs.
 */
export function sfsListenClientConfig(
  options: DataSourceOptions,
  listenUrl: string | undefined,
): ClientConfig {
  const base = sfsPgClientConfig(options);
  if (!listenUrl) return base;
  return {
    ...base,
    connectionString: listenUrl,
    host: undefined,
    port: undefined,
    user: undefined,
    password: undefined,
    database: undefined,
  };
}
