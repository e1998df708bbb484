import type { SfsAuthModuleOptions } from '../index';

/**
 * DEMO ONLY: optional knobs of the demo process that the module's own environment mapping
 * (`src/sfs-auth/options/sfs-auth-options-from-env.ts`) does not map, for the chaos suite
 * (short lifetimes need short timeouts and leases). Unset variables change nothing.
 *
 * | variable | option |
 * |---|---|
 * | `SFS_DEMO_REQUEST_TIMEOUT_MS` | `requestTimeoutMs` |
 * | `SFS_DEMO_LEASE_MS` | `workers.leaseMs` |
 * | `SFS_DEMO_WORKER_CONCURRENCY` | `workers.concurrency` |
 * | `SFS_DEMO_WORKER_BATCH_SIZE` | `workers.batchSize` |
 * | `SFS_DEMO_DB_POOL_SIZE` | TypeORM `poolSize` (see {@link demoPoolFromEnv}) |
 *
 * Values stay strings: `resolveSfsAuthOptions` validates them at boot like any other option.
 */
export function demoTuningFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Partial<SfsAuthModuleOptions> {
  const value = (name: string) => (env[name] ? env[name] : undefined);
  const tuning: Partial<SfsAuthModuleOptions> = {};
  const timeout = value('SFS_DEMO_REQUEST_TIMEOUT_MS');
  if (timeout !== undefined) tuning.requestTimeoutMs = timeout;
  const workers = {
    leaseMs: value('SFS_DEMO_LEASE_MS'),
    concurrency: value('SFS_DEMO_WORKER_CONCURRENCY'),
    batchSize: value('SFS_DEMO_WORKER_BATCH_SIZE'),
  };
  const set = Object.entries(workers).filter(([, v]) => v !== undefined);
  if (set.length > 0) tuning.workers = Object.fromEntries(set);
  return tuning;
}

/**
 * DEMO ONLY: `{ poolSize }` for the demo's TypeORM data source from `SFS_DEMO_DB_POOL_SIZE` (a
 * positive integer), else nothing (the driver's default of 10 connections).
 */
export function demoPoolFromEnv(env: Readonly<Record<string, string | undefined>>): {
  poolSize?: number;
} {
  const size = Number(env.SFS_DEMO_DB_POOL_SIZE);
  return Number.isInteger(size) && size > 0 ? { poolSize: size } : {};
}
