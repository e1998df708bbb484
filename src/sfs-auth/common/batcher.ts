/** How an {@link SfsBatcher} writes: many items in one call, or one item alone. */
export interface SfsBatchWriter<I, O> {
  /** Writes `items` together (one statement); resolves with one result per item, in their order. */
  many(items: I[]): Promise<O[]>;
  /**
   * Writes one item alone: after {@link many} failed for a batch, each of its items is written
   * this way, so one bad item fails only its own caller.
   */
  one(item: I): Promise<O>;
}

/** The bounds of an {@link SfsBatcher}. */
export interface SfsBatchLimits {
  /** Most items in one batch. */
  readonly maxItems: number;
  /** Most batches written at once; items that arrive meanwhile wait for the next one. */
  readonly maxInFlight: number;
  /**
   * How long the first item of a batch waits for others before the batch is written (unless it
   * fills up sooner). @default 0: written as soon as a batch may start
   */
  readonly lingerMs?: number;
}

interface Pending<I, O> {
  readonly item: I;
  readonly resolve: (result: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: an item added while the batcher is idle is written at once (a batch of one), and
 * the items that arrive while batches are being written go together in the next one. So an item
 * waits at most for the batches in flight (and `lingerMs`, when set), and the busier the callers,
 * the larger the batches (up to `maxItems`). A failed batch of several items is written again item
 * by item ({@link SfsBatchWriter.one}), so every caller gets its own item's result or error.
 */
export class SfsBatcher<I, O> {
  private readonly queue: Array<Pending<I, O>> = [];
  private inFlight = 0;
  /** Set while the queue's first item lingers; when it fires, the queue may be written. */
  private linger: NodeJS.Timeout | undefined;
  private lingered = false;

  constructor(
    private readonly writer: SfsBatchWriter<I, O>,
    private readonly limits: SfsBatchLimits,
  ) {}

  /** Items waiting for a batch now (not counting those being written). */
  get queued(): number {
    return this.queue.length;
  }

  /** Writes `item` in the next batch; resolves with its result. */
  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.limits.maxInFlight && this.queue.length > 0) {
      if (this.lingers()) return;
      const batch = this.queue.splice(0, this.limits.maxItems);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** Whether the queue waits for more items: it lingers from its first item on, once. */
  private lingers(): boolean {
    const lingerMs = this.limits.lingerMs ?? 0;
    if (lingerMs <= 0 || this.lingered || this.queue.length >= this.limits.maxItems) {
      this.lingered = false;
      clearTimeout(this.linger);
      this.linger = undefined;
      return false;
    }
    this.linger ??= setTimeout(() => {
      this.linger = undefined;
      this.lingered = true;
      this.pump();
    }, lingerMs);
    return true;
  }

  private async write(batch: Array<Pending<I, O>>): Promise<void> {
    let results: O[];
    try {
      results = await this.writer.many(batch.map((p) => p.item));
      if (results.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} gave ${results.length} results`);
      }
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      await Promise.all(batch.map((p) => this.writer.one(p.item).then(p.resolve, p.reject)));
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]));
  }
}
