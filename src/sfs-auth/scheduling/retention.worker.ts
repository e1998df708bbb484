import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { SfsAuthResolvedOptions } from '../options/sfs-auth-options.interface';
import { SfsRetentionService, type SfsRetentionReport } from '../retention/retention.service';
import { SFS_AUTH_RESOLVED_OPTIONS } from '../sfs-auth.module-definition';
import { SFS_INSTANCE_ID } from './instance-id';
import { SfsWorkLoop } from './work-loop';

/**
 * Runs the retention purge every `retention.intervalMs` when both `workers.enabled` and
 * `retention.enabled` are on. Every instance may run it: the purge claims its rows with
 * `SKIP LOCKED`, so instances share the deletions. Drained before shutdown.
 */
@Injectable()
export class SfsRetentionWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SfsRetentionWorker.name);
  private readonly loop: SfsWorkLoop<SfsRetentionReport>;

  constructor(
    private readonly retention: SfsRetentionService,
    @Inject(SFS_INSTANCE_ID) owner: string,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS) private readonly options: SfsAuthResolvedOptions,
    registry: SchedulerRegistry,
  ) {
    this.loop = new SfsWorkLoop(
      `sfs-auth-retention:${owner}`,
      registry,
      options.retention.intervalMs,
      () => this.pass(),
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    if (this.options.workers.enabled && this.options.retention.enabled) this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One purge now (shared with a running one), whatever the options say. */
  runOnce(): Promise<SfsRetentionReport> {
    return this.loop.runOnce();
  }

  private async pass(): Promise<SfsRetentionReport> {
    const report = await this.retention.runPass();
    if (report.tokens > 0 || report.events > 0) {
      this.logger.log(`retention: ${report.tokens} token rows, ${report.events} events purged`);
    }
    return report;
  }
}
