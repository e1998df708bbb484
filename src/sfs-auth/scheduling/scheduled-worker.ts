import {
  type BeforeApplicationShutdown,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import { SfsWorkLoop } from './work-loop';

/** How a {@link SfsScheduledWorker} runs. */
export interface SfsScheduledWorkerConfig {
  /** Interval name in the SchedulerRegistry (unique per instance). */
  readonly name: string;
  readonly intervalMs: number;
  /** Start the timer at bootstrap; otherwise only `runOnce()` runs passes. */
  readonly enabled: boolean;
}

/**
 * The Nest side of every background worker: starts its {@link SfsWorkLoop} at bootstrap when
 * enabled, and stops and drains it before the application shuts down (so no pass runs against a
 * closed DataSource). Subclasses only say what one pass does.
 */
export abstract class SfsScheduledWorker<R>
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  protected readonly logger: Logger;
  protected readonly loop: SfsWorkLoop<R>;
  private readonly enabled: boolean;

  protected constructor(registry: SchedulerRegistry, config: SfsScheduledWorkerConfig) {
    this.logger = new Logger(new.target.name);
    this.enabled = config.enabled;
    this.loop = new SfsWorkLoop(
      config.name,
      registry,
      config.intervalMs,
      () => this.passAndContinue(),
      this.logger,
    );
  }

  /** One pass of the worker's work. */
  protected abstract pass(): Promise<R>;

  /** Whether the pass left due work behind (a full batch): then the next pass starts at once. */
  protected hasBacklog(_report: R): boolean {
    return false;
  }

  private async passAndContinue(): Promise<R> {
    const report = await this.pass();
    // A backlog is worked off pass after pass instead of one batch per interval.
    if (this.enabled && this.hasBacklog(report)) this.loop.nudge();
    return report;
  }

  onApplicationBootstrap(): void {
    if (this.enabled) this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One pass now (shared with a running one), whether or not the timer runs. */
  runOnce(): Promise<R> {
    return this.loop.runOnce();
  }

  /** Asks for a pass soon, when the timer runs. */
  nudge(): void {
    if (this.enabled) this.loop.nudge();
  }
}
