import { SfsRefreshQueue } from '../../src/sfs-auth/refresh/refresh.queue';
import type { BenchApp } from './bench-app';
import { mean } from './stats';

/** One due-work claim as the refresh worker makes it. */
export interface SweepClaim {
  readonly owner: string;
  readonly batch: number;
  readonly leaseMs: number;
}

const CLAIMS_PER_SAMPLE = 5;

/**
 * Mean milliseconds of one `claimDueRefreshes` of `claim.batch` rows in `bench`'s database, over
 * five claims; each claim is undone (lease reset), so every claim finds the same due rows.
 */
export async function meanClaimMs(bench: BenchApp, claim: SweepClaim): Promise<number> {
  const queue = bench.app.get<SfsRefreshQueue>(SfsRefreshQueue);
  const times: number[] = [];
  for (let i = 0; i < CLAIMS_PER_SAMPLE; i++) {
    const start = performance.now();
    const claimed = await queue.claimDueRefreshes(
      claim.owner,
      new Date(),
      claim.leaseMs,
      claim.batch,
    );
    times.push(performance.now() - start);
    if (claimed.length !== claim.batch) {
      throw new Error(`claimed ${claimed.length} rows, not ${claim.batch}`);
    }
    await bench.dataSource.query(
      'UPDATE sfs_client_token SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = $1',
      [claim.owner],
    );
  }
  return mean(times);
}
