import { Client } from 'pg';
import type { SfsSqlSession } from '../../src/sfs-auth/persistence/sql-session';
import { closeBenchApps, createBenchApp, type BenchApp } from '../support/bench-app';
import type { BenchEnvironment } from '../support/bench-environment';
import { progress, type BenchFigure, type BenchFigureResult } from '../support/figure';
import { insertFillerRows } from '../support/seed-rows';
import { median } from '../support/stats';
import { meanClaimMs } from '../support/sweep-claim';
import { sfsClaimDueRefreshes } from '../../src/sfs-auth/refresh/refresh.queries';

const SMALL = 10_000;
const LARGE = 100_000;
const CLAIM = { owner: 'bench-sweep', batch: 100, leaseMs: 60_000 };
const { batch: BATCH, leaseMs: LEASE_MS, owner: OWNER } = CLAIM;
const WARMUP_REPS = 2;
const REPS = 9;

interface Table {
  readonly rows: number;
  readonly bench: BenchApp;
  readonly url: string;
}

async function table(env: BenchEnvironment, rows: number): Promise<Table> {
  const url = await env.createDatabase(`sweep_${rows}`);
  const bench = await createBenchApp(env, { databaseUrl: url, poolSize: 2 });
  // Two statements of at most 50k rows keep the server's memory use modest.
  for (let from = 1; from <= rows; from += 50_000) {
    await insertFillerRows(bench.dataSource, { from, to: Math.min(rows, from + 49_999) });
  }
  return { rows, bench, url };
}

/** The claim statement as the store sends it, captured from the store's query function. */
async function claimStatement(): Promise<{ text: string; params: unknown[] }> {
  let captured: { text: string; params: unknown[] } | undefined;
  const recorder = {
    rows: async (text: string, params: unknown[] = []) => {
      captured = { text, params };
      return [];
    },
  };
  await sfsClaimDueRefreshes(
    recorder as unknown as SfsSqlSession,
    OWNER,
    new Date(),
    LEASE_MS,
    BATCH,
  );
  if (!captured) throw new Error('the claim ran no statement');
  return captured;
}

/** One line: the plan's nodes, whether it uses the due index, rows and execution time. */
async function explainClaim(t: Table): Promise<string> {
  const { text, params } = await claimStatement();
  const client = new Client({ connectionString: t.url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`,
      params,
    );
    await client.query('ROLLBACK');
    const lines = rows.map((row) => row['QUERY PLAN']);
    // Plan nodes are the first line and every '->' line; the rest are their details.
    const nodes = [lines[0], ...lines.filter((line) => line.includes('->'))].map((line) =>
      line.replace(/^\s*(->\s*)?/, '').replace(/\s*\(actual.*$/, ''),
    );
    const dueIndex = lines.find((line) => line.includes('ix_sfs_client_token_refresh_due'));
    const actual = dueIndex ? (/actual[^)]*rows=([\d.]+)/.exec(dueIndex)?.[1] ?? '?') : '-';
    const execution = lines.find((line) => line.startsWith('Execution Time')) ?? '';
    return (
      `EXPLAIN claim at ${t.rows} rows: ${dueIndex ? 'uses' : 'DOES NOT use'} ` +
      `ix_sfs_client_token_refresh_due (index rows read ${actual}); ${execution.trim()}; ` +
      `plan: ${nodes.join(' > ')}`
    );
  } finally {
    await client.end();
  }
}

/**
 * Figure 5: time of one due-work claim (`claimDueRefreshes`, batch {@link BATCH}, 2 % of rows due)
 * on a 100k-row table over the same on a 10k-row table, each in its own database, alternating.
 */
export const sweepScalingFigure: BenchFigure = {
  name: 'sweep scaling',
  async run(env): Promise<BenchFigureResult> {
    const tables: Table[] = [];
    try {
      tables.push(await table(env, SMALL));
      tables.push(await table(env, LARGE));
      const [small, large] = tables;
      const ratios: number[] = [];
      const ms: Record<number, number[]> = { [SMALL]: [], [LARGE]: [] };
      for (let rep = 0; rep < WARMUP_REPS + REPS; rep++) {
        const order = rep % 2 === 0 ? [small, large] : [large, small];
        const sample: Record<number, number> = {};
        for (const t of order) sample[t.rows] = await meanClaimMs(t.bench, CLAIM);
        if (rep < WARMUP_REPS) continue;
        ratios.push(sample[LARGE] / sample[SMALL]);
        ms[SMALL].push(sample[SMALL]);
        ms[LARGE].push(sample[LARGE]);
        progress(`sweep rep ${rep - WARMUP_REPS + 1}/${REPS}`);
      }
      return {
        metrics: [
          {
            key: 'sweep_scaling',
            label: `claim of ${BATCH} at ${LARGE / 1000}k rows / at ${SMALL / 1000}k rows, x`,
            samples: ratios,
            goal: { op: '<=', value: 1.5 },
          },
        ],
        notes: [
          `sweep claim of ${BATCH} (median): ${median(ms[SMALL]).toFixed(2)} ms at ${SMALL} rows, ` +
            `${median(ms[LARGE]).toFixed(2)} ms at ${LARGE} rows`,
          await explainClaim(small),
          await explainClaim(large),
        ],
      };
    } finally {
      await closeBenchApps(tables.map((t) => t.bench));
    }
  },
};
