import type { SfsClientTokenRequest } from '../../src';
import { closeBenchApps, createBenchApp, type BenchApp } from '../support/bench-app';
import { progress, type BenchFigure, type BenchFigureResult } from '../support/figure';

const INSTANCES = 3;
const CALLERS = 1_000;
const WARMUP_REPS = 1;
const REPS = 5;
/** SFS answers client-token calls this slowly here, so the callers really overlap a mint. */
const MINT_LATENCY_MS = 20;

/**
 * Figure 3: 1000 concurrent `getClientToken` for one new key, spread over three module instances
 * (three apps, each with its own pool, same database and sandbox): how many client tokens SFS
 * minted, from the sandbox's call log. The note says how many distinct tokens one burst's callers got.
 */
export const mintDedupeFigure: BenchFigure = {
  name: 'mint dedupe',
  async run(env): Promise<BenchFigureResult> {
    const apps: BenchApp[] = [];
    try {
      const databaseUrl = await env.createDatabase('mint_dedupe');
      for (let i = 0; i < INSTANCES; i++) apps.push(await createBenchApp(env, { databaseUrl }));
      env.sandbox.setFaults({
        latencyMs: [MINT_LATENCY_MS, MINT_LATENCY_MS],
        kinds: ['client.create'],
      });
      const mints: number[] = [];
      let distinct = 0;
      for (let rep = 0; rep < WARMUP_REPS + REPS; rep++) {
        const key: SfsClientTokenRequest = {
          tenantId: 'bench-dedupe',
          clientKey: `client-${rep}`,
          subjectId: 'user-1',
        };
        const served = await Promise.all(
          Array.from({ length: CALLERS }, (_, i) => apps[i % INSTANCES].tokens.getClientToken(key)),
        );
        const tokenIds = new Set(served.map((token) => token.tokenId));
        const minted = env.sandbox
          .calls({ kind: 'client.create' })
          .filter((call) => call.clientKey === key.clientKey).length;
        if (rep < WARMUP_REPS) continue;
        mints.push(minted);
        distinct = Math.max(distinct, tokenIds.size);
        progress(`mint dedupe rep ${rep - WARMUP_REPS + 1}/${REPS}: ${minted} mint(s)`);
      }
      return {
        metrics: [
          {
            key: 'mint_dedupe',
            label: `SFS client-token mints for ${CALLERS} callers on ${INSTANCES} instances`,
            samples: mints,
            goal: { op: '==', value: 1 },
          },
        ],
        notes: [`mint dedupe: at most ${distinct} distinct token(s) served to one burst`],
      };
    } finally {
      env.sandbox.clearFaults();
      await closeBenchApps(apps);
    }
  },
};
