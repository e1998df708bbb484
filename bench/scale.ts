import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { LOOKUP_KEY } from './support/lookup-fixture';
import { closeBenchApps, createBenchApp, type BenchApp } from './support/bench-app';
import { startBenchEnvironment, type BenchEnvironment } from './support/bench-environment';
import { progress, type BenchMetric } from './support/figure';
import { fullGc, heapUsedAfterGc } from './support/gc';
import { printReport, runBenchMain } from './support/report';
import { insertFillerRows, insertSealedRows, sealedRowKey, settleTable } from './support/seed-rows';
import { median, p99 } from './support/stats';
import { meanClaimMs } from './support/sweep-claim';
import { nsPerSequentialOp } from './support/timing';

// `npm run bench:scale`: issue #29's scale run. Two databases on one embedded server, 10,000 and
// 1,000,000 token rows of the same shape, measured side by side (alternating order).

const SMALL_ROWS = 10_000;
const LARGE_ROWS = 1_000_000;
/** Tenants of the large table; the small one spreads its filler over SMALL_ROWS / 100 tenants. */
const LARGE_TENANTS = 10_000;
const BIG_TENANT = { id: 'big', tokens: 100_000 };
const SMALL_TENANT = { id: 'small', tokens: 100 };
const FILLER_CHUNK = 50_000;
const CLAIM = { owner: 'bench-scale', batch: 100, leaseMs: 60_000 };
const PAGE = 50;
const LIST_REQUESTS = 200;
const SUMMARY_REQUESTS = 50;
const LOOKUPS = 1_000;
const WARMUP_REPS = 2;
const REPS = 7;
/** Distinct tokens served before the first and the second heap reading. */
const HEAP_SERVED = [20_000, BIG_TENANT.tokens] as const;
const SERVE_CONCURRENCY = 8;

/** One database of the run, its app (cache off) listening on loopback, and the admin keys. */
interface Table {
  readonly rows: number;
  readonly url: string;
  readonly bench: BenchApp;
  readonly base: string;
  readonly agent: Agent;
  readonly keys: Readonly<Record<string, string>>;
}

/** Per-repetition figures of one table. */
interface Sample {
  claimMs: number;
  listP99Ms: number;
  lookupNs: number;
}

function adminKeys(): Record<string, string> {
  return Object.fromEntries(
    [BIG_TENANT.id, SMALL_TENANT.id].map((id) => [id, randomBytes(24).toString('base64url')]),
  );
}

async function openTable(
  env: BenchEnvironment,
  url: string,
  rows: number,
  keys: Readonly<Record<string, string>>,
  options: { maxEntries: number },
): Promise<Table> {
  const bench = await createBenchApp(env, {
    databaseUrl: url,
    poolSize: 4,
    adminApi: true,
    options: { admin: { keys }, cache: { maxEntries: options.maxEntries } },
  });
  await bench.app.listen(0, '127.0.0.1');
  const { port } = bench.app.getHttpServer().address() as { port: number };
  return {
    rows,
    url,
    bench,
    base: `http://127.0.0.1:${port}/sfs/admin/tenants`,
    agent: new Agent({ connections: 1 }),
    keys,
  };
}

/**
 * A table of `rows` rows: filler rows (80 % active, 2 % due) over many tenants, the small tenant's
 * {@link SMALL_TENANT} sealed tokens, in the large table also the big tenant's, and
 * {@link LOOKUP_KEY} minted through the sandbox.
 */
async function loadTable(env: BenchEnvironment, rows: number): Promise<Table> {
  const url = await env.createDatabase(`scale_${rows}`);
  const keys = adminKeys();
  const t = await openTable(env, url, rows, keys, { maxEntries: 0 });
  const start = performance.now();
  const big = rows === LARGE_ROWS ? BIG_TENANT.tokens : 0;
  const filler = rows - big - SMALL_TENANT.tokens - 1;
  const tenants = rows === LARGE_ROWS ? LARGE_TENANTS - 2 : rows / 100;
  for (let from = 1; from <= filler; from += FILLER_CHUNK) {
    const to = Math.min(filler, from + FILLER_CHUNK - 1);
    await insertFillerRows(t.bench.dataSource, { from, to, tenants, settle: false });
    progress(`scale: ${rows} rows: ${to} filler rows`);
  }
  await insertSealedRows(t.bench, SMALL_TENANT.id, SMALL_TENANT.tokens);
  if (big) await insertSealedRows(t.bench, BIG_TENANT.id, big);
  await t.bench.tokens.getClientToken(LOOKUP_KEY);
  await settleTable(t.bench.dataSource);
  const [{ n }] = await t.bench.dataSource.query<Array<{ n: number }>>(
    'SELECT count(*)::int AS n FROM sfs_client_token',
  );
  if (n !== rows) throw new Error(`loaded ${n} rows, not ${rows}`);
  progress(`scale: ${rows} rows loaded in ${((performance.now() - start) / 1000).toFixed(0)} s`);
  return t;
}

/** Milliseconds of each of `count` sequential admin GETs of `path` as `tenant`'s admin. */
async function adminTimes(
  t: Table,
  tenant: string,
  path: string,
  count: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const answer = await request(`${t.base}/${tenant}/${path}`, {
      dispatcher: t.agent,
      headers: { authorization: `Bearer ${t.keys[tenant]}` },
    });
    const body = (await answer.body.json()) as { items?: unknown[] };
    times.push(performance.now() - start);
    if (answer.statusCode !== 200) throw new Error(`${path} answered ${answer.statusCode}`);
    if (path.startsWith('tokens') && body.items?.length !== PAGE) {
      throw new Error(`${path} listed ${body.items?.length} items, not ${PAGE}`);
    }
  }
  return times;
}

async function sample(t: Table): Promise<Sample> {
  return {
    claimMs: await meanClaimMs(t.bench, CLAIM),
    listP99Ms: p99(await adminTimes(t, SMALL_TENANT.id, `tokens?limit=${PAGE}`, LIST_REQUESTS)),
    lookupNs: await nsPerSequentialOp(LOOKUPS, () => t.bench.tokens.getClientToken(LOOKUP_KEY)),
  };
}

/** Bytes of the token table and of its indexes, per row. */
async function sizes(t: Table): Promise<{ table: number; indexes: number }> {
  const [row] = await t.bench.dataSource.query<Array<{ table: string; indexes: string }>>(
    `SELECT pg_table_size('sfs_client_token') AS table,
            pg_indexes_size('sfs_client_token') AS indexes`,
  );
  return { table: Number(row.table) / t.rows, indexes: Number(row.indexes) / t.rows };
}

/**
 * Heap growth (MB, after a full GC) of a fresh instance with `cache.maxEntries` at its default,
 * after serving the big tenant's first {@link HEAP_SERVED} distinct tokens once each.
 */
async function heapGrowth(env: BenchEnvironment, large: Table): Promise<number[]> {
  const bench = await createBenchApp(env, { databaseUrl: large.url, poolSize: 4 });
  try {
    const before = heapUsedAfterGc();
    const growth: number[] = [];
    let next = 0;
    for (const upTo of HEAP_SERVED) {
      const lane = async (): Promise<void> => {
        while (next < upTo) await bench.tokens.getClientToken(sealedRowKey(BIG_TENANT.id, next++));
      };
      await Promise.all(Array.from({ length: SERVE_CONCURRENCY }, lane));
      growth.push((heapUsedAfterGc() - before) / 2 ** 20);
      progress(
        `scale: heap after ${upTo} distinct tokens served: +${growth.at(-1)?.toFixed(1)} MB`,
      );
    }
    return growth;
  } finally {
    await closeBenchApps([bench]);
  }
}

/** Closes and forgets `tables` (clients, then apps one after the other). */
async function closeTables(tables: Table[]): Promise<void> {
  const closing = tables.splice(0);
  for (const t of closing) await t.agent.close();
  await closeBenchApps(closing.map((t) => t.bench));
}

async function main(): Promise<void> {
  fullGc();
  const started = performance.now();
  progress('starting embedded PostgreSQL and the SFS sandbox');
  const env = await startBenchEnvironment();
  const tables: Table[] = [];
  const metrics: BenchMetric[] = [];
  const notes: string[] = [];
  try {
    tables.push(await loadTable(env, SMALL_ROWS));
    tables.push(await loadTable(env, LARGE_ROWS));
    const [small, large] = [...tables];
    const samples: Record<number, Sample[]> = { [SMALL_ROWS]: [], [LARGE_ROWS]: [] };
    const summary: Record<string, number[]> = { [BIG_TENANT.id]: [], [SMALL_TENANT.id]: [] };
    for (let rep = 0; rep < WARMUP_REPS + REPS; rep++) {
      const order = rep % 2 === 0 ? [small, large] : [large, small];
      const taken: Record<number, Sample> = {};
      for (const t of order) taken[t.rows] = await sample(t);
      const tenants = rep % 2 === 0 ? [BIG_TENANT, SMALL_TENANT] : [SMALL_TENANT, BIG_TENANT];
      const took: Record<string, number> = {};
      for (const { id } of tenants) {
        took[id] = median(await adminTimes(large, id, 'summary', SUMMARY_REQUESTS));
      }
      if (rep < WARMUP_REPS) continue;
      for (const t of tables) samples[t.rows].push(taken[t.rows]);
      for (const { id } of tenants) summary[id].push(took[id]);
      progress(`scale rep ${rep - WARMUP_REPS + 1}/${REPS}`);
    }
    const ratio = (pick: (s: Sample) => number): number[] =>
      samples[LARGE_ROWS].map((s, i) => pick(s) / pick(samples[SMALL_ROWS][i]));
    const at = (rows: number, pick: (s: Sample) => number): number =>
      median(samples[rows].map(pick));
    const [smallSizes, largeSizes] = [await sizes(small), await sizes(large)];
    await closeTables(tables);
    const heap = await heapGrowth(env, large);
    metrics.push(
      {
        key: 'sweep_1m_vs_10k',
        label: `claim of ${CLAIM.batch} due rows at 1M rows / at 10k rows, x`,
        samples: ratio((s) => s.claimMs),
        goal: { op: '<=', value: 1.5 },
      },
      {
        key: 'admin_list_1m_vs_10k',
        label: `admin list p99 (page of ${PAGE}) at 1M rows / at 10k rows, x`,
        samples: ratio((s) => s.listP99Ms),
        goal: { op: '<=', value: 1.5 },
      },
      {
        key: 'summary_big_vs_small',
        label: `admin summary of a ${BIG_TENANT.tokens / 1000}k-token tenant / of a ${SMALL_TENANT.tokens}-token one, x`,
        samples: summary[BIG_TENANT.id].map((ms, i) => ms / summary[SMALL_TENANT.id][i]),
        goal: { op: '<=', value: 3 },
      },
      {
        key: 'uncached_1m_vs_10k',
        label: 'uncached getClientToken at 1M rows / at 10k rows, x',
        samples: ratio((s) => s.lookupNs),
        goal: { op: '<=', value: 1.3 },
      },
      {
        key: 'table_bytes_per_token',
        label: 'token table bytes per row at 1M rows',
        samples: [largeSizes.table],
      },
      {
        key: 'index_bytes_per_token',
        label: 'token table index bytes per row at 1M rows',
        samples: [largeSizes.indexes],
      },
      {
        key: 'heap_mb_default_cache',
        label: `heap growth, MB, after serving ${HEAP_SERVED[1] / 1000}k distinct tokens (default cache)`,
        samples: [heap[1]],
      },
      {
        key: 'heap_100k_vs_20k',
        label: `heap growth after ${HEAP_SERVED[1] / 1000}k / after ${HEAP_SERVED[0] / 1000}k distinct tokens served, x`,
        samples: [heap[1] / heap[0]],
        goal: { op: '<=', value: 1.25 },
      },
    );
    notes.push(
      `claim of ${CLAIM.batch} (median): ${at(SMALL_ROWS, (s) => s.claimMs).toFixed(2)} ms at 10k, ` +
        `${at(LARGE_ROWS, (s) => s.claimMs).toFixed(2)} ms at 1M rows`,
      `admin list p99: ${at(SMALL_ROWS, (s) => s.listP99Ms).toFixed(2)} ms at 10k, ` +
        `${at(LARGE_ROWS, (s) => s.listP99Ms).toFixed(2)} ms at 1M rows`,
      `admin summary (median of medians): ${median(summary[SMALL_TENANT.id]).toFixed(2)} ms for ` +
        `${SMALL_TENANT.tokens} tokens, ${median(summary[BIG_TENANT.id]).toFixed(2)} ms for ${BIG_TENANT.tokens}`,
      `uncached getClientToken: ${(at(SMALL_ROWS, (s) => s.lookupNs) / 1000).toFixed(0)} µs at 10k, ` +
        `${(at(LARGE_ROWS, (s) => s.lookupNs) / 1000).toFixed(0)} µs at 1M rows`,
      `bytes per row at 10k rows: table ${smallSizes.table.toFixed(0)}, indexes ${smallSizes.indexes.toFixed(0)}`,
      `heap growth with the default cache: +${heap[0].toFixed(1)} MB after ${HEAP_SERVED[0]} ` +
        `distinct tokens, +${heap[1].toFixed(1)} MB after ${HEAP_SERVED[1]}`,
    );
  } finally {
    await closeTables(tables);
    await env.close();
  }
  printReport(metrics, notes, started);
}

runBenchMain('bench:scale', main);
