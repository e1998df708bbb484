import { Inject, Injectable } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SfsTokenRetentionStore } from './token-retention.store';

/** Most batches of each kind per run: a huge backlog is worked off over several runs. */
export const SFS_RETENTION_MAX_BATCHES = 100;

/** What one retention run deleted. */
export interface SfsRetentionReport {
  /** Dead token rows deleted. */
  readonly tokens: number;
  /** Audit events deleted. */
  readonly events: number;
  /** Rows of the change sequence deleted (older than {@link SFS_CHANGE_RETENTION_SECONDS}). */
  readonly changes: number;
  /** Idle key-lease rows deleted (free, and unclaimed for the token retention window). */
  readonly leases: number;
}

/**
 * How long the change sequence keeps a row. Pollers read it every second or so, and one that falls
 * further behind has cleared its cache when its polls began failing, so an hour is ample.
 */
export const SFS_CHANGE_RETENTION_SECONDS = 3600;

/**
 * Deletes dead token rows, audit events, change-sequence rows and idle key leases older than the
 * retention windows (leases: unclaimed for `retention.tokenSeconds`), in batches of
 * `retention.batchSize` until a batch comes back short (at most {@link SFS_RETENTION_MAX_BATCHES}
 * per kind). Appends no audit events: recording the deletion of history would be history that is
 * itself never deleted. Windows are measured from the injected clock.
 *
 * @internal
 */
@Injectable()
export class SfsRetentionService {
  constructor(
    private readonly store: SfsTokenRetentionStore,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'retention'>,
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
    const changesBefore = new Date(now - SFS_CHANGE_RETENTION_SECONDS * 1000);
    const changes = await drain(batchSize, (limit) =>
      this.store.purgeChanges(changesBefore, limit),
    );
    const leases = await drain(batchSize, (limit) =>
      this.store.purgeIdleLeases(tokensBefore, limit),
    );
    return { tokens, events, changes, leases };
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
