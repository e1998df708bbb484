import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SfsRetentionService, type SfsRetentionReport } from './retention.service';
import { SFS_INSTANCE_ID } from '../scheduling/instance-id';
import { SfsScheduledWorker } from '../scheduling/scheduled-worker';

/**
 * Runs the retention purge every `retention.intervalMs` when both `workers.enabled` and
 * `retention.enabled` are on. Every instance may run it: the purge claims its rows with
 * `SKIP LOCKED`, so instances share the deletions. Drained before shutdown.
 *
 * @internal
 */
@Injectable()
export class SfsRetentionWorker extends SfsScheduledWorker<SfsRetentionReport> {
  constructor(
    private readonly retention: SfsRetentionService,
    @Inject(SFS_INSTANCE_ID) owner: string,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    options: Pick<SfsAuthResolvedOptions, 'retention' | 'workers'>,
    registry: SchedulerRegistry,
  ) {
    super(registry, {
      name: `sfs-auth-retention:${owner}`,
      intervalMs: options.retention.intervalMs,
      enabled: options.workers.enabled && options.retention.enabled,
    });
  }

  protected async pass(): Promise<SfsRetentionReport> {
    const report = await this.retention.runPass();
    if (report.tokens > 0 || report.events > 0) {
      this.logger.log(`retention: ${report.tokens} token rows, ${report.events} events purged`);
    }
    return report;
  }
}
