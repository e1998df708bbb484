import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SfsTokenRefreshService, type SfsRefreshReport } from './token-refresh.service';
import { SfsTokenServingService } from '../serving/token-serving.service';
import { SFS_INSTANCE_ID } from '../scheduling/instance-id';
import { SfsScheduledWorker } from '../scheduling/scheduled-worker';

/**
 * Runs refresh passes every `sweepIntervalMs` (and flushes `last_used_at`). Started at bootstrap
 * when workers are enabled; stopped and drained before the application shuts down, so no pass runs
 * against a closed DataSource.
 *
 * @internal
 */
@Injectable()
export class SfsRefreshWorker extends SfsScheduledWorker<SfsRefreshReport> {
  constructor(
    private readonly refresh: SfsTokenRefreshService,
    private readonly serving: SfsTokenServingService,
    @Inject(SFS_INSTANCE_ID) private readonly owner: string,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'sweepIntervalMs' | 'workers'>,
    registry: SchedulerRegistry,
  ) {
    super(registry, {
      name: `sfs-auth-refresh:${owner}`,
      intervalMs: options.sweepIntervalMs,
      enabled: options.workers.enabled,
    });
  }

  override async beforeApplicationShutdown(): Promise<void> {
    await super.beforeApplicationShutdown();
    await this.serving.flushLastUsed();
  }

  protected override hasBacklog(report: SfsRefreshReport): boolean {
    return report.backlog === true;
  }

  protected async pass(): Promise<SfsRefreshReport> {
    await this.serving.flushLastUsed();
    const report = await this.refresh.runPass(this.owner);
    const failed = report.outcomes.filter((o) => o.outcome === 'failed').length;
    if (report.claimed > 0) {
      this.logger.debug(`refresh pass: ${report.claimed} claimed, ${failed} failed`);
    }
    return report;
  }
}
