import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SFS_INSTANCE_ID } from '../scheduling/instance-id';
import { SfsScheduledWorker } from '../scheduling/scheduled-worker';
import { SfsTenantCountsStore } from './tenant-counts.store';

/** How often the deltas are folded: the summary reads at most this long's worth of them. */
export const SFS_COUNTS_FOLD_INTERVAL_MS = 5_000;
/** Deltas folded per statement; a fuller backlog is worked off batch after batch. */
export const SFS_COUNTS_FOLD_BATCH = 5_000;

/**
 * Folds the token-count deltas into the counts every {@link SFS_COUNTS_FOLD_INTERVAL_MS} when
 * `workers.enabled` is on. Every instance may run it (the fold claims with SKIP LOCKED). The counts
 * are exact without it; it keeps the deltas a tenant's summary adds up few.
 *
 * @internal
 */
@Injectable()
export class SfsTenantCountsWorker extends SfsScheduledWorker<number> {
  constructor(
    private readonly counts: SfsTenantCountsStore,
    @Inject(SFS_INSTANCE_ID) owner: string,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS) options: Pick<SfsAuthResolvedOptions, 'workers'>,
    registry: SchedulerRegistry,
  ) {
    super(registry, {
      name: `sfs-auth-counts:${owner}`,
      intervalMs: SFS_COUNTS_FOLD_INTERVAL_MS,
      enabled: options.workers.enabled,
    });
  }

  protected pass(): Promise<number> {
    return this.counts.foldDeltas(SFS_COUNTS_FOLD_BATCH);
  }

  protected override hasBacklog(folded: number): boolean {
    return folded >= SFS_COUNTS_FOLD_BATCH;
  }
}
