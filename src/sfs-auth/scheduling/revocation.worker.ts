import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { SfsAuthResolvedOptions } from '../options/sfs-auth-options.interface';
import { SFS_AUTH_RESOLVED_OPTIONS } from '../sfs-auth.module-definition';
import {
  SfsTokenRevocationService,
  type SfsRevocationReport,
} from '../tokens/token-revocation.service';
import { SFS_INSTANCE_ID } from './instance-id';
import { SfsWorkLoop } from './work-loop';

/**
 * Runs revocation passes over the outbox every `sweepIntervalMs`, and right away when this
 * instance queues a revocation (`nudge`). Drained before shutdown.
 */
@Injectable()
export class SfsRevocationWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SfsRevocationWorker.name);
  private readonly loop: SfsWorkLoop<SfsRevocationReport>;

  constructor(
    private readonly revocation: SfsTokenRevocationService,
    @Inject(SFS_INSTANCE_ID) private readonly owner: string,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS) private readonly options: SfsAuthResolvedOptions,
    registry: SchedulerRegistry,
  ) {
    this.loop = new SfsWorkLoop(
      `sfs-auth-revocation:${owner}`,
      registry,
      options.sweepIntervalMs,
      () => this.revocation.runPass(this.owner),
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    if (this.options.workers.enabled) this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Asks for a pass soon, when the workers run on their own. */
  nudge(): void {
    if (this.options.workers.enabled) this.loop.nudge();
  }

  /** One revocation pass now (shared with a running one). */
  runOnce(): Promise<SfsRevocationReport> {
    return this.loop.runOnce();
  }
}
