import type { SfsSandboxFaultProfile } from '../../src/sandbox';

/** Everything a chaos run is sized by. Times in milliseconds unless the name says seconds. */
export interface ChaosProfile {
  readonly name: 'ci' | 'full';
  /** Tenants `t01`…; each has `usersPerTenant` users on each of `clientsPerTenant` clients. */
  readonly tenants: number;
  readonly usersPerTenant: number;
  readonly clientsPerTenant: number;
  /** Lifetime the sandbox gives client tokens (≤ 30 s). */
  readonly clientLifetimeSeconds: number;
  /** `SFS_REFRESH_LEAD_SECONDS` of the instances. */
  readonly refreshLeadSeconds: number;
  /** `SFS_SWEEP_INTERVAL_MS` of the instances. */
  readonly sweepIntervalMs: number;
  /** `SFS_DEMO_LEASE_MS`: how long a claimed row is held before another instance may take it. */
  readonly leaseMs: number;
  /** `SFS_DEMO_REQUEST_TIMEOUT_MS`: one HTTP attempt to SFS (the sandbox's hangs end here). */
  readonly requestTimeoutMs: number;
  /** `SFS_DEMO_WORKER_CONCURRENCY`: SFS calls in flight per refresh/revocation pass. */
  readonly workerConcurrency: number;
  /** `SFS_DEMO_WORKER_BATCH_SIZE`: rows claimed per pass (one lease covers the whole pass). */
  readonly workerBatchSize: number;
  /** `SFS_DEMO_DB_POOL_SIZE`: each mint holds a pooled connection for its whole SFS call. */
  readonly dbPoolSize: number;
  /** Token requests in flight while every key is served once before the storm. */
  readonly warmUpConcurrency: number;
  /** Share of token-API calls the sandbox fails (500, 503, 429, resets, hangs). */
  readonly failureRate: number;
  /** Added latency of every token-API call, uniform in [min, max]; max stays under the timeout. */
  readonly latencyMs: readonly [number, number];
  /** Concurrent load loops (each: get a token, use it, repeat). */
  readonly loadLoops: number;
  /** Pause of each loop between two iterations (keeps the 2-core box from saturating). */
  readonly thinkMs: number;
  /** Length of the storm (load + logouts + kill + database restart), from its start. */
  readonly stormMs: number;
  /** Logout storms: every `logoutEveryMs`, this share of all users logs out at once. */
  readonly logoutEveryMs: number;
  readonly logoutShare: number;
  /** SIGKILL of one instance (at this offset into the storm), restarted `restartAfterMs` later. */
  readonly killAtMs: number;
  readonly restartAfterMs: number;
  /** PostgreSQL stopped at this offset into the storm and started again after `dbDownMs`. */
  readonly dbRestartAtMs: number;
  readonly dbDownMs: number;
  /** Longest wait, faults off, for the revocation outbox to drain after the storm. */
  readonly drainTimeoutMs: number;
  /** Longest wait for the work of a killed instance / a restarted database to resume. */
  readonly resumeTimeoutMs: number;
}

const CI: ChaosProfile = {
  name: 'ci',
  tenants: 20,
  usersPerTenant: 10,
  clientsPerTenant: 1,
  clientLifetimeSeconds: 20,
  refreshLeadSeconds: 6,
  sweepIntervalMs: 250,
  leaseMs: 3000,
  requestTimeoutMs: 4000,
  workerConcurrency: 16,
  workerBatchSize: 16,
  dbPoolSize: 24,
  warmUpConcurrency: 16,
  failureRate: 0.3,
  latencyMs: [0, 250],
  loadLoops: 8,
  thinkMs: 40,
  stormMs: 42_000,
  logoutEveryMs: 5000,
  logoutShare: 0.05,
  killAtMs: 8000,
  restartAfterMs: 2000,
  dbRestartAtMs: 24_000,
  dbDownMs: 1500,
  drainTimeoutMs: 15_000,
  resumeTimeoutMs: 20_000,
};

const FULL: ChaosProfile = {
  name: 'full',
  tenants: 20,
  usersPerTenant: 50,
  clientsPerTenant: 2,
  clientLifetimeSeconds: 30,
  refreshLeadSeconds: 10,
  sweepIntervalMs: 300,
  leaseMs: 5000,
  requestTimeoutMs: 4000,
  workerConcurrency: 32,
  workerBatchSize: 32,
  dbPoolSize: 48,
  warmUpConcurrency: 48,
  failureRate: 0.3,
  latencyMs: [0, 400],
  loadLoops: 16,
  thinkMs: 40,
  stormMs: 150_000,
  logoutEveryMs: 10_000,
  logoutShare: 0.05,
  killAtMs: 35_000,
  restartAfterMs: 5000,
  dbRestartAtMs: 90_000,
  dbDownMs: 3000,
  drainTimeoutMs: 40_000,
  resumeTimeoutMs: 45_000,
};

/**
 * The profile named by `CHAOS_PROFILE` (`ci`, the default, or `full`), with the numeric fields
 * listed in `CHAOS_SET` (`field=value,...`, e.g. `stormMs=60000,tenants=25`) replaced.
 */
export function chaosProfile(
  name = process.env.CHAOS_PROFILE ?? 'ci',
  set = process.env.CHAOS_SET ?? '',
): ChaosProfile {
  const base = name === 'ci' ? CI : name === 'full' ? FULL : undefined;
  if (!base) throw new Error(`CHAOS_PROFILE must be 'ci' or 'full' (got ${JSON.stringify(name)})`);
  const profile: Record<string, unknown> = { ...base };
  for (const entry of set.split(',').filter(Boolean)) {
    const [field, value] = entry.split('=');
    if (typeof profile[field] !== 'number' || !Number.isFinite(Number(value))) {
      throw new Error(`CHAOS_SET: '${entry}' is not numericField=number`);
    }
    profile[field] = Number(value);
  }
  return profile as unknown as ChaosProfile;
}

/** Number of token keys (tenant, client, user) the profile keeps alive. */
export function keyCount(profile: ChaosProfile): number {
  return profile.tenants * profile.usersPerTenant * profile.clientsPerTenant;
}

/**
 * The sandbox's random faults for token-API calls: resets and hangs (timeouts) 5 % each, the rest
 * of `failureRate` split between 500, 503 and 429 (with `Retry-After: 1`), so that the share of
 * failed calls is `failureRate`. The sample protected call is never faulted: the load generator
 * uses it as its measuring instrument.
 */
export function faultProfile(profile: ChaosProfile, seed: number): SfsSandboxFaultProfile {
  const resetRate = 0.05;
  const hangRate = 0.05;
  // The injector rolls reset, then hang, then a status: solve for the status share left over.
  const beforeStatus = (1 - resetRate) * (1 - hangRate);
  const statusShare = Math.max(0, (profile.failureRate - (1 - beforeStatus)) / beforeStatus);
  return {
    latencyMs: [profile.latencyMs[0], profile.latencyMs[1]],
    statusRates: { 500: statusShare * 0.4, 503: statusShare * 0.3, 429: statusShare * 0.3 },
    retryAfterSeconds: 1,
    resetRate,
    hangRate,
    // SFS answers a create (or any token call) after the module's timeout: the call took effect.
    lateRate: 0.03,
    lateMs: profile.requestTimeoutMs + 1000,
    kinds: ['platform.create', 'platform.revoke', 'client.create', 'client.revoke'],
    seed,
  };
}
