import 'reflect-metadata';
import { adminListPlatformsFigure } from './figures/admin-list-platforms.figure';
import { cachedLookupFigure } from './figures/cached-lookup.figure';
import { heapPerTokenFigure } from './figures/heap-per-token.figure';
import { logoutStormFigure } from './figures/logout-storm.figure';
import { mintDedupeFigure } from './figures/mint-dedupe.figure';
import { offboardFigure } from './figures/offboard.figure';
import { slowSfsFigure } from './figures/slow-sfs.figure';
import { refreshThroughputFigure } from './figures/refresh-throughput.figure';
import { rotationCostFigure } from './figures/rotation-cost.figure';
import { sweepScalingFigure } from './figures/sweep-scaling.figure';
import { uncachedLookupFigure } from './figures/uncached-lookup.figure';
import { startBenchEnvironment } from './support/bench-environment';
import { progress, type BenchFigure, type BenchMetric } from './support/figure';
import { fullGc } from './support/gc';
import { printReport, runBenchMain } from './support/report';

/** Every figure, in the order of issue #6, then the later ones. */
const FIGURES: readonly BenchFigure[] = [
  cachedLookupFigure,
  uncachedLookupFigure,
  mintDedupeFigure,
  refreshThroughputFigure,
  sweepScalingFigure,
  heapPerTokenFigure,
  slowSfsFigure,
  rotationCostFigure,
  adminListPlatformsFigure,
  logoutStormFigure,
  offboardFigure,
];

/**
 * `npm run bench [name...]`: starts a throwaway PostgreSQL and the SFS sandbox, runs the figures
 * (all, or those whose name contains an argument), prints the table, notes and, last, the
 * `RESULT {json}` line. A missed goal is reported, not an error.
 */
async function main(): Promise<void> {
  fullGc();
  const started = performance.now();
  const only = process.argv.slice(2);
  const figures = only.length
    ? FIGURES.filter((figure) => only.some((name) => figure.name.includes(name)))
    : FIGURES;
  progress('starting embedded PostgreSQL and the SFS sandbox');
  const env = await startBenchEnvironment();
  const interrupt = (): void => {
    void env.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  const metrics: BenchMetric[] = [];
  const notes: string[] = [];
  try {
    for (const figure of figures) {
      progress(`${figure.name}: running`);
      const figureStart = performance.now();
      const result = await figure.run(env);
      env.sandbox.clearFaults();
      env.sandbox.clearCalls();
      await env.dropDatabases();
      metrics.push(...result.metrics);
      notes.push(...result.notes);
      progress(`${figure.name}: ${((performance.now() - figureStart) / 1000).toFixed(1)} s`);
    }
  } finally {
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
    await env.close();
  }
  printReport(metrics, notes, started);
}

runBenchMain('bench', main);
