import { Inject, Injectable } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import type { SfsAuthResolvedOptions } from '../options/sfs-auth-options.interface';
import { SfsTokenRetentionStore } from '../persistence/token-retention.store';
import { SFS_AUTH_RESOLVED_OPTIONS } from '../sfs-auth.module-definition';

/** Most batches of each kind per run: a huge backlog is worked off over several runs. */
export const SFS_RETENTION_MAX_BATCHES = 100;

/** What one retention run deleted. */
export interface SfsRetentionReport {
  /** Dead token rows deleted. */
  readonly tokens: number;
  /** Audit events deleted. */
  readonly events: number;
}

/**
 * Deletes dead token rows and audit events older than the retention windows, in batches of
 * `retention.batchSize` until a batch comes back short (at most {@link SFS_RETENTION_MAX_BATCHES}
 * per kind). Appends no audit events: recording the deletion of history would be history that is
 * itself never deleted. Windows are measured from the injected clock.
 */
@Injectable()
export class SfsRetentionService {
  constructor(
    @Inject(SfsTokenRetentionStore) private readonly store: SfsTokenRetentionStore,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS) private readonly options: SfsAuthResolvedOptions,
  ) {}

  /** One run: tokens first, so events of purged tokens age out on their own schedule. */
  async runPass(): Promise<SfsRetentionReport> {
    const { tokenSeconds, eventSeconds, batchSize } = this.options.retention;
    const now = this.clock.now();
    const tokensBefore = new Date(now - tokenSeconds * 1000);
    const eventsBefore = new Date(now - eventSeconds * 1000);
    const tokens = await drain(batchSize, (limit) =>
      this.store.purgeDeadTokens(tokensBefore, limit),
    );
    const events = await drain(batchSize, (limit) => this.store.purgeEvents(eventsBefore, limit));
    return { tokens, events };
  }
}

async function drain(batchSize: number, purge: (limit: number) => Promise<number>) {
  let total = 0;
  for (let batch = 0; batch < SFS_RETENTION_MAX_BATCHES; batch++) {
    const deleted = await purge(batchSize);
    total += deleted;
    if (deleted < batchSize) break;
  }
  return total;
}
