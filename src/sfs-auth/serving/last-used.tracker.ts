import type { SfsCacheEntry } from './token-cache';

/** Fewest stamps a tracker holds before it asks for an early flush (cache off or tiny). */
export const SFS_LAST_USED_MIN_LIMIT = 1_000;

/**
 * Remembers when each token was last served, in memory, so `last_used_at` costs one batched write
 * per sweep instead of a write per call. A cached token keeps its stamp on its cache entry (a
 * number and a list slot, instead of a map entry per token); others go to a map. Bounded: when
 * `limit` tokens wait for their write, `onFull` is called (once until the next drain), so an
 * instance serving more distinct tokens per sweep than that flushes early instead of growing.
 */
export class SfsLastUsedTracker {
  private pending = new Map<string, number>();
  private dirty: SfsCacheEntry[] = [];
  /** Entries keep their stamp relative to this (reset at each drain), as a small integer. */
  private base = 0;
  private full = false;

  constructor(
    private readonly limit: number,
    private readonly onFull: () => void,
  ) {}

  /** Tokens whose stamp waits for the next drain. */
  get size(): number {
    return this.pending.size + this.dirty.length;
  }

  touch(tokenId: string, at: number): void {
    const previous = this.pending.get(tokenId);
    if (previous === undefined) {
      this.pending.set(tokenId, at);
      this.grew();
    } else if (previous < at) this.pending.set(tokenId, at);
  }

  /** The same for a cached token: one comparison on a hit. */
  touchEntry(entry: SfsCacheEntry, at: number): void {
    if (this.dirty.length === 0) this.base = at;
    const offset = at - this.base;
    if (!entry.listed) {
      entry.listed = true;
      entry.usedAt = offset;
      this.dirty.push(entry);
      this.grew();
    } else if (entry.usedAt < offset) {
      entry.usedAt = offset;
    }
  }

  /** Everything recorded since the last drain, oldest state dropped. */
  drain(): Array<{ id: string; at: Date }> {
    const entries = [...this.pending].map(([id, at]) => ({ id, at: new Date(at) }));
    for (const entry of this.dirty) {
      entries.push({ id: entry.tokenId, at: new Date(this.base + entry.usedAt) });
      entry.listed = false;
    }
    this.pending = new Map();
    this.dirty = [];
    this.full = false;
    return entries;
  }

  private grew(): void {
    if (this.full || this.size < this.limit) return;
    this.full = true;
    this.onFull();
  }
}
