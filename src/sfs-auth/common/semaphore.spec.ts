import { SfsSemaphore } from './semaphore';

describe('SfsSemaphore', () => {
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, opened };
  };

  it('lets `limit` calls run at once and queues the rest in arrival order', async () => {
    const semaphore = new SfsSemaphore(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      semaphore.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([semaphore.inFlight, semaphore.queued]).toEqual([2, 2]);
    gates[1].open();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    expect([semaphore.inFlight, semaphore.queued]).toEqual([2, 1]);
    gates.forEach((g) => g.open());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect([semaphore.inFlight, semaphore.queued]).toEqual([0, 0]);
  });

  it('releases the slot when the call throws', async () => {
    const semaphore = new SfsSemaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await semaphore.run(() => Promise.resolve('next'))).toBe('next');
    expect(semaphore.inFlight).toBe(0);
  });
});
