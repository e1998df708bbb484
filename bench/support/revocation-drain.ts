import { performance } from 'node:perf_hooks';
import type { SfsClientTokenRequest } from '../../src';
import { mapConcurrent } from '../../src/sfs-auth/common/map-concurrent';
import { SfsRevocationWorker } from '../../src/sfs-auth/revocation/revocation.worker';
import type { SfsRevocationOutcome } from '../../src/sfs-auth/revocation/token-revocation.service';
import type { BenchApp } from './bench-app';

/** Mints a token for each key, `concurrency` at a time (SFS issues them: they can be revoked). */
export async function mintTokens(
  bench: BenchApp,
  keys: readonly SfsClientTokenRequest[],
  concurrency: number,
): Promise<void> {
  await mapConcurrent([...keys], concurrency, (key) => bench.tokens.getClientToken(key));
}

/** What draining the revocation outbox took. */
export interface RevocationDrain {
  readonly seconds: number;
  /** Outcomes by kind (`revoked`, `retry`, `failed`, `skipped`). */
  readonly outcomes: Record<string, number>;
}

/**
 * Runs the app's revocation worker pass after pass (as its timer does while a pass reports a
 * backlog) until a pass claims nothing, or `until()` says the work is done; times it.
 */
export async function drainRevocations(
  bench: BenchApp,
  until: () => boolean = () => false,
): Promise<RevocationDrain> {
  const worker = bench.app.get(SfsRevocationWorker);
  const outcomes: Record<string, number> = {};
  const start = performance.now();
  for (;;) {
    const report = await worker.runOnce();
    report.outcomes.forEach((o: SfsRevocationOutcome) => {
      outcomes[o.outcome] = (outcomes[o.outcome] ?? 0) + 1;
    });
    if (report.claimed === 0 || until()) break;
  }
  return { seconds: (performance.now() - start) / 1000, outcomes };
}
