import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { SfsOffboardingStatus } from '../events/sfs-auth-events';
import { SfsTenantOffboardingService } from './tenant-offboarding.service';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SFS_INSTANCE_ID } from '../scheduling/instance-id';
import { SfsScheduledWorker } from '../scheduling/scheduled-worker';
import { sfsErrorCode } from '../errors/safe-error';

/** Where each unfinished offboarding stood after one pass. */
export interface SfsOffboardingReport {
  readonly tenants: ReadonlyArray<{ tenantId: string; status: SfsOffboardingStatus | null }>;
}

/**
 * Moves every unfinished tenant offboarding one step on, every `sweepIntervalMs` and right away
 * when one starts here; a purge in progress continues pass after pass. Any instance may take over
 * (the steps lock the tombstone), so an offboarding resumes after a crash.
 *
 * @internal
 */
@Injectable()
export class SfsOffboardingWorker extends SfsScheduledWorker<SfsOffboardingReport> {
  constructor(
    private readonly offboarding: SfsTenantOffboardingService,
    @Inject(SFS_INSTANCE_ID) owner: string,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'sweepIntervalMs' | 'workers'>,
    registry: SchedulerRegistry,
  ) {
    super(registry, {
      name: `sfs-auth-offboarding:${owner}`,
      intervalMs: options.sweepIntervalMs,
      enabled: options.workers.enabled,
    });
    offboarding.whenStarted(() => this.nudge());
  }

  protected override hasBacklog(report: SfsOffboardingReport): boolean {
    return report.tenants.some((t) => t.status === 'purging');
  }

  protected async pass(): Promise<SfsOffboardingReport> {
    const tenants = await this.offboarding.unfinished(this.options.workers.batchSize);
    const steps: Array<{ tenantId: string; status: SfsOffboardingStatus | null }> = [];
    for (const tenantId of tenants) {
      try {
        steps.push({ tenantId, status: await this.offboarding.advance(tenantId) });
      } catch (error) {
        // The next pass (here or on another instance) tries again from the tombstone.
        this.logger.warn(
          `offboarding of tenant ${tenantId} did not advance: ${sfsErrorCode(error)}`,
        );
      }
    }
    return { tenants: steps };
  }
}
