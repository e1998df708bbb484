import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SfsTokenRevocationService, type SfsRevocationReport } from './token-revocation.service';
import { SFS_INSTANCE_ID } from '../scheduling/instance-id';
import { SfsScheduledWorker } from '../scheduling/scheduled-worker';

/**
 * Runs revocation passes over the outbox every `sweepIntervalMs`, and right away when this
 * instance queues a revocation (`nudge`). Drained before shutdown.
 *
 * @internal
 */
@Injectable()
export class SfsRevocationWorker extends SfsScheduledWorker<SfsRevocationReport> {
  constructor(
    private readonly revocation: SfsTokenRevocationService,
    @Inject(SFS_INSTANCE_ID) private readonly owner: string,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    options: Pick<SfsAuthResolvedOptions, 'sweepIntervalMs' | 'workers'>,
    registry: SchedulerRegistry,
  ) {
    super(registry, {
      name: `sfs-auth-revocation:${owner}`,
      intervalMs: options.sweepIntervalMs,
      enabled: options.workers.enabled,
    });
  }

  protected override hasBacklog(report: SfsRevocationReport): boolean {
    return report.backlog === true;
  }

  protected pass(): Promise<SfsRevocationReport> {
    return this.revocation.runPass(this.owner);
  }
}
