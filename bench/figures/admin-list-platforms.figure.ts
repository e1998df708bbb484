import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import type { DemoPlatform } from '../../src/demo/demo-platform';
import { closeBenchApps, createBenchApp, type BenchApp } from '../support/bench-app';
import type { BenchEnvironment } from '../support/bench-environment';
import { progress, type BenchFigure, type BenchFigureResult } from '../support/figure';
import { median } from '../support/stats';

const TOKENS = 200;
const PAGE = 50;
const REQUESTS = 400;
const WARMUP_REPS = 2;
const REPS = 12;

/** One platform's app, listening on loopback, with its keep-alive client. */
interface Side {
  readonly platform: DemoPlatform;
  readonly bench: BenchApp;
  readonly url: string;
  readonly agent: Agent;
}

/** Milliseconds of {@link REQUESTS} sequential admin lists (one page of {@link PAGE}). */
async function lists(side: Side, key: string): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const answer = await request(side.url, {
      dispatcher: side.agent,
      headers: { authorization: `Bearer ${key}` },
    });
    const body = (await answer.body.json()) as { items?: unknown[] };
    if (answer.statusCode !== 200 || body.items?.length !== PAGE) {
      throw new Error(`${side.platform} answered ${answer.statusCode}`);
    }
  }
  return performance.now() - start;
}

/**
 * Figure `admin_list_fastify_vs_express`: the same admin list (`GET /tokens?limit=50`, same key,
 * same rows in one database) through a Fastify app ÷ through an Express app, both from the
 * demo's adapters, alternating in each repetition. Goal ≤ 1.1.
 */
export const adminListPlatformsFigure: BenchFigure = {
  name: 'admin list fastify vs express',
  async run(env: BenchEnvironment): Promise<BenchFigureResult> {
    const url = await env.createDatabase('admin_platforms');
    const key = randomBytes(24).toString('base64url');
    const sides: Side[] = [];
    try {
      for (const platform of ['express', 'fastify'] as const) {
        const bench = await createBenchApp(env, {
          databaseUrl: url,
          poolSize: 4,
          platform,
          adminApi: true,
          options: { admin: { keys: { acme: key } } },
        });
        await bench.app.listen(0, '127.0.0.1');
        const { port } = bench.app.getHttpServer().address() as { port: number };
        const agent = new Agent({ connections: 1 });
        sides.push({
          platform,
          bench,
          url: `http://127.0.0.1:${port}/sfs/admin/tenants/acme/tokens?limit=${PAGE}`,
          agent,
        });
      }
      progress(`admin list: minting ${TOKENS} tokens`);
      for (let i = 0; i < TOKENS; i++) {
        await sides[0].bench.tokens.getClientToken({
          tenantId: 'acme',
          clientKey: 'client-1',
          subjectId: `user-${i}`,
        });
      }
      const ratios: number[] = [];
      const ms: Record<DemoPlatform, number[]> = { express: [], fastify: [] };
      for (let rep = 0; rep < WARMUP_REPS + REPS; rep++) {
        const order = rep % 2 === 0 ? sides : [...sides].reverse();
        const took = {} as Record<DemoPlatform, number>;
        for (const side of order) took[side.platform] = await lists(side, key);
        if (rep < WARMUP_REPS) continue;
        ms.express.push(took.express);
        ms.fastify.push(took.fastify);
        ratios.push(took.fastify / took.express);
      }
      const perList = (platform: DemoPlatform) =>
        ((median(ms[platform]) * 1000) / REQUESTS).toFixed(0);
      return {
        metrics: [
          {
            key: 'admin_list_fastify_vs_express',
            label: `admin list of ${PAGE} records: Fastify ÷ Express (same rows, one run)`,
            samples: ratios,
            goal: { op: '<=', value: 1.1 },
          },
        ],
        notes: [
          `admin list of ${PAGE}: Express ${perList('express')} µs, Fastify ${perList('fastify')} µs ` +
            `per request (median of ${REPS} reps × ${REQUESTS} sequential requests, keep-alive)`,
        ],
      };
    } finally {
      for (const side of sides) await side.agent.close();
      await closeBenchApps(sides.map((side) => side.bench));
    }
  },
};
