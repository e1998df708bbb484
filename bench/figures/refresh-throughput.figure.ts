import { availableParallelism } from 'node:os';
import { SfsRefreshWorker } from '../../src/sfs-auth/refresh/refresh.worker';
import { startCpuMeter } from '../support/cpu-meter';
import { countQueries } from '../support/query-counter';
import { StandaloneSandbox } from '../support/standalone-sandbox';
import { closeBenchApps, createBenchApp, type BenchApp } from '../support/bench-app';
import { progress, type BenchFigure, type BenchFigureResult } from '../support/figure';
import { median } from '../support/stats';

const TOKENS = 400;
const CONCURRENCY = 8;
const LATENCY_MS = 50;
const WARMUP_REPS = 1;
const REPS = 5;

// N active subject tokens of one tenant, due a second ago, expiring in 10 minutes, their session
// started 20 minutes ago. Refresh never opens the old material, so the ciphertext is fake bytes.
const INSERT_DUE = `
  INSERT INTO sfs_client_token (tenant_id, client_key, subject_id, status, token_ciphertext,
    token_key_id, fingerprint, issued_at, expires_at, refresh_at, session_started_at)
  SELECT 'bench-refresh', 'client-' || (g % 10), $1 || '-user-' || g, 'active',
    decode(md5(g::text) || md5($1 || g), 'hex'), 'bench', md5($1 || g) || md5(g::text),
    now() - interval '20 minutes', now() + interval '10 minutes', now() - interval '1 second',
    now() - interval '20 minutes'
  FROM generate_series(1, $2::int) AS g`;

/**
 * Figure 4: refresh throughput of one instance's worker (`runOnce()` until every due token is
 * refreshed) with SFS answering each client-token call after {@link LATENCY_MS}, as a share of the
 * ideal `concurrency / latency`. SFS is a sandbox in its own process, as the real SFS is remote:
 * in this process, its side of every call (TLS, parsing, issuing) would take turns on the
 * module's event loop.
 */
export const refreshThroughputFigure: BenchFigure = {
  name: 'refresh throughput',
  async run(env): Promise<BenchFigureResult> {
    let bench: BenchApp | undefined;
    let sfs: StandaloneSandbox | undefined;
    try {
      const databaseUrl = await env.createDatabase('refresh_throughput');
      sfs = await StandaloneSandbox.start();
      bench = await createBenchApp(env, {
        databaseUrl,
        options: {
          ...sfs.moduleOptions(),
          workers: { concurrency: CONCURRENCY, batchSize: TOKENS + 100 },
        },
        poolSize: CONCURRENCY + 4,
      });
      const worker = bench.app.get(SfsRefreshWorker);
      const { dataSource } = bench;
      await sfs.setFaults({ latencyMs: [LATENCY_MS, LATENCY_MS], kinds: ['client.create'] });
      const idealPerSecond = CONCURRENCY / (LATENCY_MS / 1000);
      const efficiency: number[] = [];
      const seconds: number[] = [];
      let failed = 0;
      const refreshAll = async (
        batch: string,
      ): Promise<{ refreshed: number; elapsedS: number }> => {
        await dataSource.query(INSERT_DUE, [batch, TOKENS]);
        let refreshed = 0;
        const start = performance.now();
        while (refreshed < TOKENS) {
          const report = await worker.runOnce();
          if (report.claimed === 0) break;
          refreshed += report.outcomes.filter((o) => o.outcome === 'refreshed').length;
          failed += report.outcomes.filter((o) => o.outcome === 'failed').length;
        }
        return { refreshed, elapsedS: (performance.now() - start) / 1000 };
      };
      for (let rep = 0; rep < WARMUP_REPS + REPS; rep++) {
        const { refreshed, elapsedS } = await refreshAll(`rep${rep}`);
        if (rep < WARMUP_REPS) continue;
        efficiency.push(refreshed / elapsedS / idealPerSecond);
        seconds.push(elapsedS);
        progress(
          `refresh rep ${rep - WARMUP_REPS + 1}/${REPS}: ${refreshed} in ${elapsedS.toFixed(2)} s`,
        );
      }
      // The same pass with no SFS latency: what this machine's CPU and database allow at all.
      await sfs.clearFaults();
      const cpu = startCpuMeter();
      const queries = countQueries(dataSource);
      const unloaded = await refreshAll('no-latency');
      const statements = queries();
      const spent = cpu();
      const capacity = unloaded.refreshed / unloaded.elapsedS;
      const perRefresh = (ms: number) => (ms / Math.max(1, unloaded.refreshed)).toFixed(2);
      return {
        metrics: [
          {
            key: 'refresh_efficiency',
            label: `refreshes/s over ideal C/L, N=${TOKENS} C=${CONCURRENCY} L=${LATENCY_MS}ms`,
            samples: efficiency,
            goal: { op: '>=', value: 0.9 },
          },
        ],
        notes: [
          `refresh: ${TOKENS} tokens in ${median(seconds).toFixed(2)} s (median; ideal ` +
            `${(TOKENS / idealPerSecond).toFixed(2)} s), ${failed} failed refreshes`,
          `refresh with no SFS latency (L=0, C=${CONCURRENCY}): ${capacity.toFixed(0)} refreshes/s, ` +
            `${((CONCURRENCY / capacity) * 1000).toFixed(1)} ms per refresh per lane (the ideal at ` +
            `L=${LATENCY_MS}ms needs ${idealPerSecond}/s, i.e. each lane adding ≤ ` +
            `${(LATENCY_MS / 0.9 - LATENCY_MS).toFixed(1)} ms to the SFS call for 0.9)`,
          `CPU per refresh with no SFS latency: ${perRefresh(spent.nodeMs)} ms in the host's Node ` +
            `process + ${perRefresh(spent.postgresMs)} ms in PostgreSQL (+ ` +
            `${perRefresh(spent.otherMs)} ms in the sandbox's process), on ` +
            `${availableParallelism()} cores (the ideal needs ${idealPerSecond} refreshes/s); ` +
            `${perRefresh(statements)} SQL statements (round trips) per refresh`,
        ],
      };
    } finally {
      await closeBenchApps([bench]);
      await sfs?.close();
    }
  },
};
