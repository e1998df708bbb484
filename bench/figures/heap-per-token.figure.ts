import type { SfsClientTokenRequest } from '../../src';
import { SfsRefreshWorker } from '../../src/sfs-auth/refresh/refresh.worker';
import { closeBenchApps, createBenchApp, type BenchApp } from '../support/bench-app';
import { progress, type BenchFigure, type BenchFigureResult } from '../support/figure';
import { heapUsedAfterGc } from '../support/gc';
import { insertSealedRows, sealedRowKey } from '../support/seed-rows';
import { median } from '../support/stats';

const TOKENS = 100_000;
const SERVE_CONCURRENCY = 8;
const REPS = 3;
const TENANT = 'bench-heap';

/** The i-th key of this figure (50 clients, one subject per token). */
function keyOf(i: number): SfsClientTokenRequest {
  return sealedRowKey(TENANT, i);
}

/** Asks `bench` once for every key, {@link SERVE_CONCURRENCY} at a time. */
async function serveAll(bench: BenchApp): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < TOKENS) await bench.tokens.getClientToken(keyOf(next++));
  };
  await Promise.all(Array.from({ length: SERVE_CONCURRENCY }, lane));
}

/**
 * Figure 6: heap bytes per token held by one module instance (cache sized for all of them): heap
 * after a full GC before and after the instance served {@link TOKENS} distinct tokens, once each,
 * divided by their number. A fresh app per repetition. The number includes the last-used stamps the
 * instance keeps until its next sweep; the note gives the figure after that flush too.
 */
export const heapPerTokenFigure: BenchFigure = {
  name: 'heap per token',
  async run(env): Promise<BenchFigureResult> {
    const databaseUrl = await env.createDatabase('heap_per_token');
    const options = { cache: { maxEntries: 2 * TOKENS } };
    const seeding = await createBenchApp(env, { databaseUrl, options });
    try {
      const start = performance.now();
      await insertSealedRows(seeding, TENANT, TOKENS);
      progress(
        `heap: seeded ${TOKENS} sealed rows in ${((performance.now() - start) / 1000).toFixed(1)} s`,
      );
    } finally {
      await closeBenchApps([seeding]);
    }
    const perToken: number[] = [];
    const afterFlush: number[] = [];
    const serveSeconds: number[] = [];
    const cachedPassMs: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      const bench = await createBenchApp(env, { databaseUrl, options });
      try {
        const before = heapUsedAfterGc();
        const start = performance.now();
        await serveAll(bench);
        serveSeconds.push((performance.now() - start) / 1000);
        perToken.push((heapUsedAfterGc() - before) / TOKENS);
        // A second pass is served from memory: its time shows the cache really holds every token.
        const again = performance.now();
        await serveAll(bench);
        cachedPassMs.push(performance.now() - again);
        await bench.app.get(SfsRefreshWorker).runOnce();
        afterFlush.push((heapUsedAfterGc() - before) / TOKENS);
        progress(`heap rep ${rep + 1}/${REPS}: ${perToken[rep].toFixed(0)} B/token`);
      } finally {
        await closeBenchApps([bench]);
      }
    }
    return {
      metrics: [
        {
          key: 'heap_per_token',
          label: `heap bytes per token at ${TOKENS / 1000}k tokens in one instance`,
          samples: perToken,
          goal: { op: '<=', value: 512 },
        },
      ],
      notes: [
        `heap: ${median(afterFlush).toFixed(0)} B/token after the last-used flush (median); ` +
          `first pass (database + decrypt) ${median(serveSeconds).toFixed(1)} s, ` +
          `second pass from cache ${median(cachedPassMs).toFixed(0)} ms for ${TOKENS} tokens`,
      ],
    };
  },
};
