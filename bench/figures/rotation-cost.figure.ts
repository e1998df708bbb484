import { randomBytes } from 'node:crypto';
import { SfsTenantDataKeys } from '../../src/sfs-auth/crypto/tenant-data-keys';
import { closeBenchApps, createBenchApp, type BenchApp } from '../support/bench-app';
import type { BenchEnvironment } from '../support/bench-environment';
import { progress, type BenchFigure, type BenchFigureResult } from '../support/figure';
import { median } from '../support/stats';

const TENANTS = 100;
const TOKENS = 100_000;
const WARMUP_REPS = 2;
const REPS = 15;

const ringKey = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

// Token rows sealed under their tenant's data key (key id = the tenant's data key id). The
// ciphertexts are fake bytes: rotation must not read them, and nothing else here does.
const INSERT_TOKENS = `
  INSERT INTO sfs_client_token (tenant_id, client_key, subject_id, status, token_ciphertext,
    token_key_id, fingerprint, issued_at, expires_at, refresh_at, session_started_at)
  SELECT k.tenant_id, 'client-' || (g % 7), 'user-' || g, 'active',
    decode('02' || md5(g::text) || md5((-g)::text), 'hex'), k.data_key_id,
    md5(g::text) || md5((g + 1)::text), now() - interval '20 minutes',
    now() + interval '25 minutes', now() + (60 + g % 1200) * interval '1 second',
    now() - interval '20 minutes'
  FROM generate_series(1, $1::int) AS g
  JOIN sfs_tenant_key k ON k.tenant_id = 'tenant-' || (g % ${TENANTS})`;

/** One database with {@link TENANTS} data keys, and two apps whose rings rotate between two keys. */
interface Side {
  readonly tokens: number;
  /** Ring `k2,k1` and `k1,k2`: each `reencrypt()` rewraps every data key to the other key. */
  readonly apps: [BenchApp, BenchApp];
}

async function side(env: BenchEnvironment, tokens: number, k1: string, k2: string): Promise<Side> {
  const url = await env.createDatabase(`rotation_${tokens}`);
  const first = await createBenchApp(env, {
    databaseUrl: url,
    poolSize: 2,
    options: { encryptionKeys: `${k1},${k2}` },
  });
  const second = await createBenchApp(env, {
    databaseUrl: url,
    poolSize: 2,
    options: { encryptionKeys: `${k2},${k1}` },
  });
  const dataKeys = first.app.get(SfsTenantDataKeys);
  for (let t = 0; t < TENANTS; t++) await dataKeys.current(`tenant-${t}`);
  if (tokens > 0) {
    await first.dataSource.query(INSERT_TOKENS, [tokens]);
    await first.dataSource.query('VACUUM ANALYZE sfs_client_token');
  }
  await first.dataSource.query('VACUUM ANALYZE sfs_tenant_key');
  return { tokens, apps: [first, second] };
}

/** Milliseconds of one `reencrypt()` by app `which` (it rewraps all {@link TENANTS} keys). */
async function rotate(s: Side, which: 0 | 1): Promise<number> {
  const start = performance.now();
  const report = await s.apps[which].tokens.reencrypt();
  const ms = performance.now() - start;
  if (report.rewrapped !== TENANTS || report.migrated !== 0 || report.failed !== 0) {
    throw new Error(`rotation at ${s.tokens} tokens did ${JSON.stringify(report)}`);
  }
  return ms;
}

/**
 * Figure `rotation_cost`: the time of a key rotation (`reencrypt()`: every data key rewrapped,
 * rows still sealed under a ring key looked for) over {@link TENANTS} tenants holding
 * {@link TOKENS} tokens ÷ the same over {@link TENANTS} tenants with no tokens, each in its own
 * database, alternating.
 */
export const rotationCostFigure: BenchFigure = {
  name: 'rotation cost',
  async run(env): Promise<BenchFigureResult> {
    const k1 = ringKey('k1');
    const k2 = ringKey('k2');
    const sides: Side[] = [];
    try {
      sides.push(await side(env, 0, k1, k2));
      sides.push(await side(env, TOKENS, k1, k2));
      const [empty, full] = sides;
      // The data keys were created under k1: the app whose ring starts with k2 rotates first.
      let which: 0 | 1 = 1;
      const ratios: number[] = [];
      const ms: Record<number, number[]> = { 0: [], [TOKENS]: [] };
      for (let rep = 0; rep < WARMUP_REPS + REPS; rep++) {
        const order = rep % 2 === 0 ? [empty, full] : [full, empty];
        const sample: Record<number, number> = {};
        for (const s of order) sample[s.tokens] = await rotate(s, which);
        which = which === 0 ? 1 : 0;
        if (rep < WARMUP_REPS) continue;
        ratios.push(sample[TOKENS] / sample[0]);
        ms[0].push(sample[0]);
        ms[TOKENS].push(sample[TOKENS]);
        progress(`rotation rep ${rep - WARMUP_REPS + 1}/${REPS}`);
      }
      return {
        metrics: [
          {
            key: 'rotation_cost',
            label: `rotation over ${TENANTS} tenants: ${TOKENS / 1000}k tokens / none, x`,
            samples: ratios,
            goal: { op: '<=', value: 2 },
          },
        ],
        notes: [
          `key rotation of ${TENANTS} data keys (median): ${median(ms[0]).toFixed(1)} ms with no ` +
            `tokens, ${median(ms[TOKENS]).toFixed(1)} ms with ${TOKENS} tokens (rows not read)`,
        ],
      };
    } finally {
      await closeBenchApps(sides.flatMap((s) => s.apps));
    }
  },
};
