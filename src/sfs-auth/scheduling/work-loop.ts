import type { Logger } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import { sfsErrorDetail } from '../errors/safe-error';

/**
 * A guarded, drainable tick: a tick while the previous one runs is skipped (but remembered, so a
 * nudge during a pass triggers one more pass); each tick catches everything; `stop()` removes the
 * interval and waits for the running tick. `runOnce()` is what tests and "refresh now" call.
 */
export class SfsWorkLoop<R> {
  private running?: Promise<R>;
  private again = false;
  private stopped = false;
  private started = false;

  constructor(
    private readonly name: string,
    private readonly registry: SchedulerRegistry,
    private readonly intervalMs: number,
    private readonly work: () => Promise<R>,
    private readonly logger: Logger,
  ) {}

  /** Registers the interval with the SchedulerRegistry. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const timer = setInterval(() => this.nudge(), this.intervalMs);
    timer.unref?.();
    this.registry.addInterval(this.name, timer);
  }

  /** Runs a pass soon (now, or right after the running one). Never throws. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.runOnce().catch((error: unknown) =>
      this.logger.error(`${this.name} pass failed: ${sfsErrorDetail(error)}`),
    );
  }

  /** One pass; concurrent callers share the running one. */
  runOnce(): Promise<R> {
    if (this.running) return this.running;
    const pass = this.work().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.nudge();
      }
    });
    this.running = pass;
    return pass;
  }

  /** Stops ticking and waits for the running pass (its failure is logged, not thrown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.started && this.registry.doesExist('interval', this.name)) {
      this.registry.deleteInterval(this.name);
    }
    await this.running?.catch(() => undefined);
  }
}
