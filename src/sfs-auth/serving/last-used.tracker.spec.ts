import { SfsLastUsedTracker } from './last-used.tracker';
import { SfsCacheEntry } from './token-cache';

describe('SfsLastUsedTracker', () => {
  it('keeps the latest stamp per token until drained', () => {
    const tracker = new SfsLastUsedTracker(10, () => undefined);
    tracker.touch('a', 2_000);
    tracker.touch('a', 1_000);
    tracker.touch('b', 3_000);
    expect(tracker.size).toBe(2);
    expect(tracker.drain()).toEqual([
      { id: 'a', at: new Date(2_000) },
      { id: 'b', at: new Date(3_000) },
    ]);
    expect(tracker.size).toBe(0);
    expect(tracker.drain()).toEqual([]);
  });

  it('asks for a flush once when `limit` tokens wait, and again after a drain', () => {
    const onFull = jest.fn();
    const tracker = new SfsLastUsedTracker(3, onFull);
    tracker.touch('a', 1);
    tracker.touch('a', 2); // the same token again: no growth
    const entry = new SfsCacheEntry('key', 'e', 'token', 10_000, 9_000);
    tracker.touchEntry(entry, 5);
    tracker.touchEntry(entry, 6);
    expect(onFull).not.toHaveBeenCalled();
    tracker.touch('b', 7);
    expect(onFull).toHaveBeenCalledTimes(1);
    tracker.touch('c', 8);
    expect(onFull).toHaveBeenCalledTimes(1);
    expect(tracker.drain().map((stamp) => [stamp.id, stamp.at.getTime()])).toEqual([
      ['a', 2],
      ['b', 7],
      ['c', 8],
      ['e', 6],
    ]);
    for (const id of ['d', 'f', 'g']) tracker.touch(id, 9);
    expect(onFull).toHaveBeenCalledTimes(2);
  });
});
