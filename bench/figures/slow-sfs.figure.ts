import { Client } from 'pg';
import { SfsAuthHealthIndicator, type SfsClientTokenRequest } from '../../src';
import { SfsTokenReadModel } from '../../src/sfs-auth/admin/token-read.model';
import { closeBenchApps, createBenchApp, type BenchApp } from '../support/bench-app';
import { progress, type BenchFigure, type BenchFigureResult } from '../support/figure';
import { p99 } from '../support/stats';

const MINTS = 60;
const SFS_LATENCY_MS = 3_000;
const POOL_SIZE = 10;
const REPS = 3;
/** Admin reads timed one after the other before each storm (its baseline). */
const READS = 1_000;

/** Milliseconds `op` took. */
async function timed(op: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await op();
  return performance.now() - start;
}

/** Runs `op` one after the other while `running()` (at least once), returning each duration. */
async function timeWhile(running: () => boolean, op: () => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  do durations.push(await timed(op));
  while (running() && durations.length < 10_000);
  return durations;
}

/**
 * Figures of a slow SFS (issue #11): 60 concurrent first mints while SFS takes 3 s per client
 * token, on one instance whose TypeORM pool has 10 connections. `slow_sfs_parallelism` is
 * 60 × 3 s ÷ the storm's wall time (60 would be every mint in parallel); `db_read_under_slow_sfs`
 * is the p99 of an admin token list during the storm ÷ its p99 just before that storm (1000
 * reads, on the same rows). The notes give the most `idle in transaction` connections seen while
 * every mint waited on SFS (and at any time, the short recording transactions included), health
 * during it, the admin read latencies and the wall time.
 */
export const slowSfsFigure: BenchFigure = {
  name: 'slow sfs',
  async run(env): Promise<BenchFigureResult> {
    let app: BenchApp | undefined;
    const databaseUrl = await env.createDatabase('slow_sfs');
    const observer = new Client({ connectionString: databaseUrl });
    try {
      await observer.connect();
      app = await createBenchApp(env, { databaseUrl, poolSize: POOL_SIZE });
      const reads = app.app.get<SfsTokenReadModel>(SfsTokenReadModel);
      const health = app.app.get(SfsAuthHealthIndicator);
      const tenantId = 'bench-slow';
      const read = (): Promise<unknown> => reads.listTokens({ tenantId, limit: 20 });
      // Platform token and a few rows first, so the storm measures client-token mints only.
      await app.tokens.getClientToken({ tenantId, clientKey: 'warm', subjectId: 'w' });
      await timeWhile(() => false, read);
      env.sandbox.setFaults({
        latencyMs: [SFS_LATENCY_MS, SFS_LATENCY_MS],
        kinds: ['client.create'],
      });
      const parallelism: number[] = [];
      const readRatio: number[] = [];
      const notes: string[] = [];
      for (let rep = 0; rep < REPS; rep++) {
        // The baseline of each storm, just before it, on the rows its reads will list (each
        // storm adds 60): not one baseline for all, taken on an almost empty tenant.
        const quiet: number[] = [];
        for (let i = 0; i < READS; i++) quiet.push(await timed(read));
        let idleMax = 0;
        let idleWaitingMax = 0;
        let storming = true;
        const base = env.sandbox.calls({ kind: 'client.create' }).length;
        // Before SFS has answered any mint of the storm, an open transaction can only be one
        // waiting on SFS; afterwards, short recording transactions show up between statements.
        const answered = (): boolean =>
          env.sandbox
            .calls({ kind: 'client.create' })
            .slice(base)
            .some((call) => call.status !== 0);
        const sampleIdle = async (): Promise<void> => {
          while (storming) {
            const before = answered();
            const { rows } = await observer.query<{ n: string }>(
              "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'",
            );
            idleMax = Math.max(idleMax, Number(rows[0].n));
            if (!before && !answered())
              idleWaitingMax = Math.max(idleWaitingMax, Number(rows[0].n));
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        };
        const started = performance.now();
        const storm = Promise.all(
          Array.from({ length: MINTS }, (_, i) => {
            const key: SfsClientTokenRequest = {
              tenantId,
              clientKey: `c-${rep}`,
              subjectId: `user-${i}`,
            };
            return app!.tokens.getClientToken(key);
          }),
        ).finally(() => {
          storming = false;
        });
        const sampler = sampleIdle();
        await new Promise((resolve) => setTimeout(resolve, 500));
        const healthStart = performance.now();
        const verdict = await health.isHealthy();
        const healthMs = performance.now() - healthStart;
        const during = await timeWhile(() => storming, read);
        await storm;
        const wallMs = performance.now() - started;
        await sampler;
        parallelism.push((MINTS * SFS_LATENCY_MS) / wallMs);
        readRatio.push(p99(during) / p99(quiet));
        const status = verdict['sfs-auth']?.status ?? 'unknown';
        notes.push(
          `slow sfs rep ${rep + 1}: ${MINTS} first mints in ${(wallMs / 1000).toFixed(1)} s; ` +
            `idle in transaction max ${idleWaitingMax} while SFS had answered none ` +
            `(${idleMax} at any time, recording included); health ${status} in ${healthMs.toFixed(0)} ms; ` +
            `admin list p99 ${p99(during).toFixed(1)} ms during (${during.length} reads, max ` +
            `${Math.max(...during).toFixed(0)} ms) vs ${p99(quiet).toFixed(1)} ms quiet`,
        );
        progress(notes[notes.length - 1]);
      }
      return {
        metrics: [
          {
            key: 'slow_sfs_parallelism',
            label: `${MINTS} × SFS latency ÷ wall time of ${MINTS} first mints (3 s SFS, pool ${POOL_SIZE})`,
            samples: parallelism,
            goal: { op: '>=', value: 20 },
          },
          {
            key: 'db_read_under_slow_sfs',
            label: 'p99 admin token list during that storm ÷ p99 just before it',
            samples: readRatio,
            goal: { op: '<=', value: 3 },
          },
        ],
        notes,
      };
    } finally {
      env.sandbox.clearFaults();
      await closeBenchApps([app]);
      await observer.end().catch(() => undefined);
    }
  },
};
