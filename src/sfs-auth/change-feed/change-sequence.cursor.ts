/**
 * Where a poller stands in the change sequence. Sequence numbers are taken when a row is inserted
 * but become visible when its transaction commits, so a reader can see 7 before 6: 6 is a gap
 * that may still arrive (its transaction is in flight) or never will (rolled back). The cursor
 * remembers what it has seen above its low-water mark and holds each gap open for `gapPolls`
 * polls before giving up on it, so a late commit is still delivered and a rollback is not waited
 * on forever. Counting polls instead of time keeps it free of clocks.
 */
export class SfsChangeSequenceCursor {
  private low: number;
  private readonly seen = new Set<number>();
  /** Missing sequence number → polls it has been missing for. */
  private readonly gaps = new Map<number, number>();

  /** A gap wider than this is given up at once (a restarted sequence, a crash that skipped values). */
  static readonly MAX_GAP_SPAN = 1000;

  constructor(
    start: number,
    private readonly gapPolls: number,
  ) {
    this.low = start;
  }

  /** Read changes numbered above this... */
  get after(): number {
    return this.low;
  }

  /** ...except these, already delivered. */
  get skip(): number[] {
    return [...this.seen];
  }

  /** Open gaps (for tests and diagnostics). */
  get openGaps(): number[] {
    return [...this.gaps.keys()].sort((a, b) => a - b);
  }

  /**
   * Records what one poll read (sequence numbers above `after`, not in `skip`) and advances the
   * low-water mark over everything seen or given up. Call it once per poll, even with nothing.
   */
  accept(seqs: ReadonlyArray<number>): void {
    for (const seq of seqs) {
      this.seen.add(seq);
      this.gaps.delete(seq);
    }
    for (const [seq, polls] of this.gaps) this.gaps.set(seq, polls + 1);
    if (this.seen.size === 0) return;
    const highest = Math.max(...this.seen);
    if (highest - this.low > SfsChangeSequenceCursor.MAX_GAP_SPAN) {
      this.jumpTo(Math.min(...this.seen) - 1);
    }
    for (let seq = this.low + 1; seq < highest; seq++) {
      if (!this.seen.has(seq) && !this.gaps.has(seq)) this.gaps.set(seq, 0);
    }
    this.advance();
  }

  private advance(): void {
    for (;;) {
      const next = this.low + 1;
      if (this.seen.delete(next)) {
        this.low = next;
        continue;
      }
      const polls = this.gaps.get(next);
      if (polls !== undefined && polls >= this.gapPolls) {
        this.gaps.delete(next);
        this.low = next;
        continue;
      }
      return;
    }
  }

  private jumpTo(low: number): void {
    for (const seq of this.gaps.keys()) if (seq <= low) this.gaps.delete(seq);
    this.low = Math.max(this.low, low);
  }
}
