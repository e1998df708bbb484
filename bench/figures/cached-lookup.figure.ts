import { closeBenchApps, type BenchApp } from '../support/bench-app';
import { progress, type BenchFigure, type BenchFigureResult } from '../support/figure';
import { LOOKUP_KEY, RawPgLookup, startLookupApp } from '../support/lookup-fixture';
import { median } from '../support/stats';
import { formatNs, nsPerSequentialOp } from '../support/timing';

const WARMUP_REPS = 2;
const REPS = 7;
const CACHED_OPS = 10_000;
const PG_OPS = 2_000;
const MAP_OPS = 1_000_000;

/** `Map.get` of one key in a 10k-entry map: the floor of any in-memory lookup. */
function nsPerMapGet(): number {
  const map = new Map<string, { accessToken: string }>();
  for (let i = 0; i < 10_000; i++)
    map.set(`bench\u0000client-${i}\u0000user-${i}`, { accessToken: `t${i}` });
  const key = 'bench\u0000client-1\u0000user-1';
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < MAP_OPS; i++) sink += map.get(key)?.accessToken.length ?? 0;
  const ns = Number(process.hrtime.bigint() - start) / MAP_OPS;
  if (sink !== MAP_OPS * 2) throw new Error('map baseline lost its entry');
  return ns;
}

/**
 * Figure 1: a cached `getClientToken` against one raw `pg` SELECT by the key (speedup) and against
 * a plain `Map.get` (distance from the floor). The three run side by side in every repetition.
 */
export const cachedLookupFigure: BenchFigure = {
  name: 'cached lookup',
  async run(env): Promise<BenchFigureResult> {
    let bench: BenchApp | undefined;
    let pg: RawPgLookup | undefined;
    try {
      const started = await startLookupApp(env, 'cached_lookup', {});
      bench = started.bench;
      pg = new RawPgLookup(started.databaseUrl);
      const { tokens } = bench;
      const raw = pg;
      const times = { cached: [] as number[], pg: [] as number[], map: [] as number[] };
      for (let rep = 0; rep < WARMUP_REPS + REPS; rep++) {
        const measure = {
          cached: () => nsPerSequentialOp(CACHED_OPS, () => tokens.getClientToken(LOOKUP_KEY)),
          pg: () => nsPerSequentialOp(PG_OPS, () => raw.select(LOOKUP_KEY)),
          map: () => Promise.resolve(nsPerMapGet()),
        };
        const order =
          rep % 2 === 0 ? (['map', 'cached', 'pg'] as const) : (['pg', 'cached', 'map'] as const);
        const sample: Record<string, number> = {};
        for (const what of order) sample[what] = await measure[what]();
        if (rep < WARMUP_REPS) continue;
        times.cached.push(sample.cached);
        times.pg.push(sample.pg);
        times.map.push(sample.map);
        progress(`cached lookup rep ${rep - WARMUP_REPS + 1}/${REPS}`);
      }
      return {
        metrics: [
          {
            key: 'cached_vs_pg',
            label: 'raw pg SELECT / cached getClientToken, x',
            samples: times.pg.map((pgNs, i) => pgNs / times.cached[i]),
            goal: { op: '>=', value: 100 },
          },
          {
            key: 'cached_vs_map',
            label: 'cached getClientToken / Map.get, x',
            samples: times.cached.map((cachedNs, i) => cachedNs / times.map[i]),
            goal: { op: '<=', value: 20 },
          },
        ],
        notes: [
          `cached lookup per op (median): getClientToken ${formatNs(median(times.cached))}, ` +
            `raw pg SELECT ${formatNs(median(times.pg))}, Map.get ${formatNs(median(times.map))}`,
        ],
      };
    } finally {
      await pg?.close();
      await closeBenchApps([bench]);
    }
  },
};
