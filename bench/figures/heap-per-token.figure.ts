import { randomBytes, randomUUID } from 'node:crypto';
import type { SfsClientTokenRequest } from '../../src';
import { SfsRefreshWorker } from '../../src/sfs-auth/refresh/refresh.worker';
import { SfsTokenCipher } from '../../src/sfs-auth/crypto/token-cipher';
import { closeBenchApps, createBenchApp, type BenchApp } from '../support/bench-app';
import { progress, type BenchFigure, type BenchFigureResult } from '../support/figure';
import { heapUsedAfterGc } from '../support/gc';
import { settleTable } from '../support/seed-rows';
import { median } from '../support/stats';

const TOKENS = 100_000;
const SEED_BATCH = 10_000;
const SERVE_CONCURRENCY = 8;
const REPS = 3;
const TENANT = 'bench-heap';

const INSERT_SEALED = `
  INSERT INTO sfs_client_token (id, tenant_id, client_key, subject_id, status, token_ciphertext,
    token_key_id, fingerprint, issued_at, expires_at, refresh_at, session_started_at)
  SELECT u.id, $1, u.client_key, u.subject_id, 'active', u.sealed, $2, u.fingerprint,
    now(), now() + interval '30 minutes', now() + interval '20 minutes', now()
  FROM unnest($3::uuid[], $4::text[], $5::text[], $6::bytea[], $7::text[])
    AS u(id, client_key, subject_id, sealed, fingerprint)`;

/** The i-th key of this figure (50 clients, one subject per token). */
function keyOf(i: number): SfsClientTokenRequest {
  return { tenantId: TENANT, clientKey: `client-${i % 50}`, subjectId: `user-${i}` };
}

/**
 * Inserts {@link TOKENS} active rows sealed with the module's real cipher (AES-256-GCM bound to
 * tenant and row id), holding 43-character tokens like the ones SFS (and the sandbox) issue.
 */
async function seedSealedTokens(bench: BenchApp): Promise<void> {
  const cipher = bench.app.get(SfsTokenCipher);
  for (let from = 0; from < TOKENS; from += SEED_BATCH) {
    const ids: string[] = [];
    const clients: string[] = [];
    const subjects: string[] = [];
    const sealed: Buffer[] = [];
    const fingerprints: string[] = [];
    let keyId = '';
    for (let i = from; i < Math.min(TOKENS, from + SEED_BATCH); i++) {
      const id = randomUUID();
      const token = randomBytes(32).toString('base64url');
      const key = keyOf(i);
      const seal = cipher.seal(token, { tenantId: TENANT, tokenId: id });
      keyId = seal.keyId;
      ids.push(id);
      clients.push(key.clientKey);
      subjects.push(key.subjectId as string);
      sealed.push(seal.ciphertext);
      fingerprints.push(cipher.fingerprint(token));
    }
    await bench.dataSource.query(INSERT_SEALED, [
      TENANT,
      keyId,
      ids,
      clients,
      subjects,
      sealed,
      fingerprints,
    ]);
  }
  await settleTable(bench.dataSource);
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
      await seedSealedTokens(seeding);
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
