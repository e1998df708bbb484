import { SfsChangeSequenceCursor } from './change-sequence.cursor';

describe('SfsChangeSequenceCursor', () => {
  it('advances over contiguous changes and skips nothing', () => {
    const cursor = new SfsChangeSequenceCursor(10, 3);
    cursor.accept([11, 12, 13]);
    expect(cursor.after).toBe(13);
    expect(cursor.skip).toEqual([]);
    cursor.accept([]);
    expect(cursor.after).toBe(13);
  });

  it('holds a gap open, skipping what it has seen above it, and closes it when the late change arrives', () => {
    const cursor = new SfsChangeSequenceCursor(0, 3);
    cursor.accept([1, 3, 4]);
    expect(cursor.after).toBe(1);
    expect(cursor.skip.sort()).toEqual([3, 4]);
    expect(cursor.openGaps).toEqual([2]);
    cursor.accept([]);
    cursor.accept([2]);
    expect(cursor.after).toBe(4);
    expect(cursor.skip).toEqual([]);
    expect(cursor.openGaps).toEqual([]);
  });

  it('gives a gap up after gapPolls further polls (a rolled-back transaction)', () => {
    const cursor = new SfsChangeSequenceCursor(0, 3);
    cursor.accept([2]);
    cursor.accept([]);
    cursor.accept([]);
    expect(cursor.after).toBe(0);
    cursor.accept([]);
    expect(cursor.after).toBe(2);
    expect(cursor.openGaps).toEqual([]);
  });

  it('ages each gap from when it was noticed', () => {
    const cursor = new SfsChangeSequenceCursor(0, 2);
    cursor.accept([2]);
    cursor.accept([4]);
    cursor.accept([]);
    expect(cursor.after).toBe(2);
    expect(cursor.openGaps).toEqual([3]);
    cursor.accept([]);
    expect(cursor.after).toBe(4);
  });

  it('gives up a gap wider than MAX_GAP_SPAN at once', () => {
    const cursor = new SfsChangeSequenceCursor(0, 100);
    const far = SfsChangeSequenceCursor.MAX_GAP_SPAN + 50;
    cursor.accept([far, far + 1]);
    expect(cursor.after).toBe(far + 1);
    expect(cursor.openGaps).toEqual([]);
  });
});
