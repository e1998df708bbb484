import { mapConcurrent } from '../../src/sfs-auth/common/map-concurrent';
import { closeBenchApps, createBenchApp, type BenchApp } from '../support/bench-app';
import { progress, type BenchFigure, type BenchFigureResult } from '../support/figure';
import { drainRevocations, mintTokens } from '../support/revocation-drain';
import { StandaloneSandbox } from '../support/standalone-sandbox';

const LOGOUTS = 10_000;
const TENANTS = 100;
/** Revocation lanes (`workers.concurrency`): SFS calls in flight. */
const CONCURRENCY = 32;
const LATENCY_MS = 50;

/**
 * Figure `logout_storm_efficiency`: {@link LOGOUTS} users of {@link TENANTS} tenants sign out at
 * once (each logout queues the revocation of the user's token), then the revocation worker drains
 * the outbox with SFS answering each revocation after {@link LATENCY_MS} and
 * {@link CONCURRENCY} calls in flight: the ideal drain N·L/C ÷ the measured drain. SFS is a
 * sandbox in its own process, as in the refresh figure.
 */
export const logoutStormFigure: BenchFigure = {
  name: 'logout storm',
  async run(env): Promise<BenchFigureResult> {
    let bench: BenchApp | undefined;
    let sfs: StandaloneSandbox | undefined;
    try {
      const databaseUrl = await env.createDatabase('logout_storm');
      sfs = await StandaloneSandbox.start();
      bench = await createBenchApp(env, {
        databaseUrl,
        options: { ...sfs.moduleOptions(), workers: { concurrency: CONCURRENCY } },
      });
      const users = Array.from({ length: LOGOUTS }, (_, i) => ({
        tenantId: `storm-${i % TENANTS}`,
        clientKey: 'client-a',
        subjectId: `user-${i}`,
      }));
      progress(`logout storm: minting ${LOGOUTS} tokens`);
      await mintTokens(bench, users, 64);
      await sfs.setFaults({ latencyMs: [LATENCY_MS, LATENCY_MS], kinds: ['client.revoke'] });
      const queueStart = performance.now();
      const app = bench;
      await mapConcurrent(users, 64, (user) => app.tokens.revoke(user, 'logout', 'event'));
      const queueS = (performance.now() - queueStart) / 1000;
      progress(`logout storm: ${LOGOUTS} logouts queued in ${queueS.toFixed(1)} s; draining`);
      const drain = await drainRevocations(bench);
      const [{ revoked }] = await bench.dataSource.query<Array<{ revoked: number }>>(
        `SELECT count(*)::int AS revoked FROM sfs_client_token WHERE status = 'revoked'`,
      );
      if (revoked !== LOGOUTS) {
        throw new Error(
          `logout storm: ${revoked} of ${LOGOUTS} revoked (${JSON.stringify(drain)})`,
        );
      }
      const idealS = (LOGOUTS * LATENCY_MS) / 1000 / CONCURRENCY;
      return {
        metrics: [
          {
            key: 'logout_storm_efficiency',
            label: `ideal drain N·L/C over measured, N=${LOGOUTS} L=${LATENCY_MS}ms C=${CONCURRENCY}`,
            samples: [idealS / drain.seconds],
            goal: { op: '>=', value: 0.85 },
          },
        ],
        notes: [
          `logout storm: ${LOGOUTS} logouts queued in ${queueS.toFixed(1)} s ` +
            `(${(LOGOUTS / queueS).toFixed(0)}/s, 64 at a time); the outbox drained in ` +
            `${drain.seconds.toFixed(1)} s (ideal ${idealS.toFixed(1)} s), outcomes ` +
            JSON.stringify(drain.outcomes),
        ],
      };
    } finally {
      await closeBenchApps([bench]);
      await sfs?.close();
    }
  },
};
