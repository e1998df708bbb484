/**
 * A counting semaphore: at most `limit` holders at once, the rest wait in arrival order. The SFS
 * transport runs every HTTP attempt inside one (its bulkhead: `sfs.maxConcurrentCalls` requests in
 * flight per instance), and a refresh pass runs its SFS calls inside another (`workers.concurrency`
 * in flight while other rows are claimed and recorded).
 */
export class SfsSemaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  /** Holders now. */
  get inFlight(): number {
    return this.active;
  }

  /** Callers waiting for a slot now. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `fn` once a slot is free; the slot is released however `fn` ends. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `active` never overshoots the limit.
      if (next) next();
      else this.active--;
    }
  }
}
