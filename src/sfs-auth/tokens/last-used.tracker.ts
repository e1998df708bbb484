/**
 * Remembers when each token was last served, in memory, so `last_used_at` costs one batched write
 * per sweep instead of a write per call.
 */
export class SfsLastUsedTracker {
  private pending = new Map<string, number>();

  touch(tokenId: string, at: number): void {
    const previous = this.pending.get(tokenId);
    if (previous === undefined || previous < at) this.pending.set(tokenId, at);
  }

  /** Everything recorded since the last drain, oldest state dropped. */
  drain(): Array<{ id: string; at: Date }> {
    const entries = [...this.pending].map(([id, at]) => ({ id, at: new Date(at) }));
    this.pending = new Map();
    return entries;
  }

  get size(): number {
    return this.pending.size;
  }
}
