import { SfsClientTokenEntity } from '../../src/sfs-auth/persistence/entities';
import { closeBenchApps, type BenchApp } from '../support/bench-app';
import { progress, type BenchFigure, type BenchFigureResult } from '../support/figure';
import { LOOKUP_KEY, RawPgLookup, startLookupApp } from '../support/lookup-fixture';
import { median } from '../support/stats';
import { formatNs, nsPerSequentialOp } from '../support/timing';

const WARMUP_REPS = 1;
const REPS = 7;
const OPS = 1_000;

type Subject = 'uncached' | 'pg' | 'typeorm';

/**
 * Figure 2: `getClientToken` with the cache disabled (a database read and a decrypt per call)
 * against the raw `pg` SELECT, and against a naive TypeORM `findOne` on the module's entity, run
 * side by side in every repetition (order alternating).
 */
export const uncachedLookupFigure: BenchFigure = {
  name: 'uncached lookup',
  async run(env): Promise<BenchFigureResult> {
    let bench: BenchApp | undefined;
    let pg: RawPgLookup | undefined;
    try {
      const started = await startLookupApp(env, 'uncached_lookup', { cache: { maxEntries: 0 } });
      bench = started.bench;
      pg = new RawPgLookup(started.databaseUrl);
      const { tokens } = bench;
      const raw = pg;
      const repository = bench.dataSource.getRepository(SfsClientTokenEntity);
      const where = {
        tenantId: LOOKUP_KEY.tenantId,
        clientKey: LOOKUP_KEY.clientKey,
        subjectId: LOOKUP_KEY.subjectId ?? undefined,
        status: 'active' as const,
      };
      const measure: Record<Subject, () => Promise<number>> = {
        uncached: () => nsPerSequentialOp(OPS, () => tokens.getClientToken(LOOKUP_KEY)),
        pg: () => nsPerSequentialOp(OPS, () => raw.select(LOOKUP_KEY)),
        typeorm: () =>
          nsPerSequentialOp(OPS, async () => {
            if (!(await repository.findOne({ where }))) throw new Error('findOne found no row');
          }),
      };
      const times: Record<Subject, number[]> = { uncached: [], pg: [], typeorm: [] };
      const orders: Subject[][] = [
        ['uncached', 'pg', 'typeorm'],
        ['typeorm', 'pg', 'uncached'],
        ['pg', 'uncached', 'typeorm'],
      ];
      for (let rep = 0; rep < WARMUP_REPS + REPS; rep++) {
        const sample: Partial<Record<Subject, number>> = {};
        for (const what of orders[rep % orders.length]) sample[what] = await measure[what]();
        if (rep < WARMUP_REPS) continue;
        for (const what of orders[0]) times[what].push(sample[what] as number);
        progress(`uncached lookup rep ${rep - WARMUP_REPS + 1}/${REPS}`);
      }
      return {
        metrics: [
          {
            key: 'uncached_vs_pg',
            label: 'uncached getClientToken / raw pg SELECT, x',
            samples: times.uncached.map((ns, i) => ns / times.pg[i]),
            goal: { op: '<=', value: 1.3 },
          },
          {
            key: 'uncached_vs_typeorm',
            label: 'uncached getClientToken / TypeORM findOne, x',
            samples: times.uncached.map((ns, i) => ns / times.typeorm[i]),
            goal: { op: '<=', value: 1 },
          },
        ],
        notes: [
          `uncached lookup per op (median): getClientToken ${formatNs(median(times.uncached))}, ` +
            `raw pg SELECT ${formatNs(median(times.pg))}, TypeORM findOne ${formatNs(median(times.typeorm))}`,
        ],
      };
    } finally {
      await pg?.close();
      await closeBenchApps([bench]);
    }
  },
};
