import { SfsBatcher, type SfsBatchWriter } from './batcher';

/** A writer whose calls the test finishes by hand, recording what it was given. */
class ManualWriter implements SfsBatchWriter<number, string> {
  readonly batches: number[][] = [];
  readonly alone: number[] = [];
  private readonly open: Array<{ resolve: (r: string[]) => void; reject: (e: unknown) => void }> =
    [];
  /** Items {@link one} refuses. */
  refuse = new Set<number>();
  /** What {@link many} gives back instead of one result per item, when set. */
  short = false;

  many(items: number[]): Promise<string[]> {
    this.batches.push(items);
    return new Promise((resolve, reject) => this.open.push({ resolve, reject }));
  }

  one(item: number): Promise<string> {
    this.alone.push(item);
    return this.refuse.has(item)
      ? Promise.reject(new Error(`bad ${item}`))
      : Promise.resolve(`one ${item}`);
  }

  /** Finishes the oldest open batch. */
  finish(error?: Error): void {
    const call = this.open.shift()!;
    const items = this.batches[this.batches.length - this.open.length - 1];
    if (error) call.reject(error);
    else call.resolve(this.short ? [] : items.map((i) => `many ${i}`));
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('SfsBatcher', () => {
  it('writes an item at once when idle, and gathers those that arrive meanwhile', async () => {
    const writer = new ManualWriter();
    const batcher = new SfsBatcher(writer, { maxItems: 10, maxInFlight: 1 });
    const first = batcher.add(1);
    expect(writer.batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((i) => batcher.add(i));
    expect(writer.batches).toEqual([[1]]);
    expect(batcher.queued).toBe(3);
    writer.finish();
    await expect(first).resolves.toBe('many 1');
    await settle();
    expect(writer.batches).toEqual([[1], [2, 3, 4]]);
    expect(batcher.queued).toBe(0);
    writer.finish();
    await expect(Promise.all(rest)).resolves.toEqual(['many 2', 'many 3', 'many 4']);
    expect(writer.alone).toEqual([]);
  });

  it('writes up to maxInFlight batches at once, each of at most maxItems', async () => {
    const writer = new ManualWriter();
    const batcher = new SfsBatcher(writer, { maxItems: 3, maxInFlight: 2 });
    const all = Array.from({ length: 9 }, (_, i) => batcher.add(i));
    expect(writer.batches).toEqual([[0], [1]]);
    writer.finish();
    await settle();
    expect(writer.batches).toEqual([[0], [1], [2, 3, 4]]);
    writer.finish();
    writer.finish();
    await settle();
    expect(writer.batches).toEqual([[0], [1], [2, 3, 4], [5, 6, 7], [8]]);
    writer.finish();
    writer.finish();
    await expect(Promise.all(all)).resolves.toEqual(
      Array.from({ length: 9 }, (_, i) => `many ${i}`),
    );
  });

  it('writes the items of a failed batch one by one: each caller gets its own result or error', async () => {
    const writer = new ManualWriter();
    const batcher = new SfsBatcher(writer, { maxItems: 10, maxInFlight: 1 });
    const first = batcher.add(1);
    const rest = [2, 3, 4].map((i) => batcher.add(i).catch((e: Error) => e.message));
    writer.refuse.add(3);
    writer.finish();
    await first;
    await settle();
    writer.finish(new Error('batch refused'));
    await expect(Promise.all(rest)).resolves.toEqual(['one 2', 'bad 3', 'one 4']);
    expect(writer.alone).toEqual([2, 3, 4]);
  });

  it("rejects a lone item's caller with the batch's own error, and goes on", async () => {
    const writer = new ManualWriter();
    const batcher = new SfsBatcher(writer, { maxItems: 10, maxInFlight: 1 });
    const failed = batcher.add(1);
    writer.finish(new Error('refused'));
    await expect(failed).rejects.toThrow('refused');
    expect(writer.alone).toEqual([]);
    const next = batcher.add(2);
    expect(writer.batches).toEqual([[1], [2]]);
    writer.finish();
    await expect(next).resolves.toBe('many 2');
  });

  it('writes items one by one when a batch gives back the wrong number of results', async () => {
    const writer = new ManualWriter();
    const batcher = new SfsBatcher(writer, { maxItems: 10, maxInFlight: 1 });
    writer.short = true;
    const first = batcher.add(1).catch((e: Error) => e.message);
    const rest = [2, 3].map((i) => batcher.add(i));
    writer.finish();
    await expect(first).resolves.toBe('a batch of 1 gave 0 results');
    await settle();
    writer.finish();
    await expect(Promise.all(rest)).resolves.toEqual(['one 2', 'one 3']);
  });

  describe('with lingerMs', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('holds a batch lingerMs from its first item, then writes what came meanwhile', async () => {
      const writer = new ManualWriter();
      const batcher = new SfsBatcher(writer, { maxItems: 10, maxInFlight: 1, lingerMs: 20 });
      const first = [1, 2].map((i) => batcher.add(i));
      jest.advanceTimersByTime(19);
      batcher.add(3);
      expect(writer.batches).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(writer.batches).toEqual([[1, 2, 3]]);
      // The next batch lingers too, from the moment it may be written.
      const later = batcher.add(4);
      writer.finish();
      await expect(Promise.all(first)).resolves.toEqual(['many 1', 'many 2']);
      expect(writer.batches).toEqual([[1, 2, 3]]);
      jest.advanceTimersByTime(20);
      expect(writer.batches).toEqual([[1, 2, 3], [4]]);
      writer.finish();
      await expect(later).resolves.toBe('many 4');
    });

    it('writes a full batch at once, without waiting out the linger', () => {
      const writer = new ManualWriter();
      const batcher = new SfsBatcher(writer, { maxItems: 3, maxInFlight: 1, lingerMs: 20 });
      [1, 2, 3, 4].forEach((i) => void batcher.add(i));
      expect(writer.batches).toEqual([[1, 2, 3]]);
      expect(batcher.queued).toBe(1);
    });
  });
});
