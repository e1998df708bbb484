import type { SfsCacheEntry } from './token-cache';

/**
 * Remembers when each token was last served, in memory, so `last_used_at` costs one batched write
 * per sweep instead of a write per call. A cached token keeps its stamp on its cache entry (a
 * number and a list slot, instead of a map entry per token); others go to a map.
 */
export class SfsLastUsedTracker {
  private pending = new Map<string, number>();
  private dirty: SfsCacheEntry[] = [];
  /** Entries keep their stamp relative to this (reset at each drain), as a small integer. */
  private base = 0;

  touch(tokenId: string, at: number): void {
    const previous = this.pending.get(tokenId);
    if (previous === undefined || previous < at) this.pending.set(tokenId, at);
  }

  /** The same for a cached token: one comparison on a hit. */
  touchEntry(entry: SfsCacheEntry, at: number): void {
    if (this.dirty.length === 0) this.base = at;
    const offset = at - this.base;
    if (!entry.listed) {
      entry.listed = true;
      entry.usedAt = offset;
      this.dirty.push(entry);
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
    return entries;
  }
}
