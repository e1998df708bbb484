import type { SfsAuthModuleOptions } from '../index';

/**
 * DEMO ONLY: optional knobs of the demo process that SPEC §5 does not map, for the chaos suite
 * (short lifetimes need short timeouts and leases). Unset variables change nothing.
 *
 * | variable | option |
 * |---|---|
 * | `SFS_DEMO_REQUEST_TIMEOUT_MS` | `requestTimeoutMs` |
 * | `SFS_DEMO_LEASE_MS` | `workers.leaseMs` |
 * | `SFS_DEMO_WORKER_CONCURRENCY` | `workers.concurrency` |
 * | `SFS_DEMO_WORKER_BATCH_SIZE` | `workers.batchSize` |
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
