import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { SfsClock } from '../clock/clock';
import { sfsChangesAfter, sfsLatestChangeSeq } from './change.queries';
import { sfsWithConnection } from '../persistence/sql-session';
import { SfsChangeSequenceCursor } from './change-sequence.cursor';
import { sfsDriverCode, sfsErrorCode } from '../errors/safe-error';
import type { SfsTokenChange } from './token-change.feed';

/** Rows read per statement; a poll reads pages until one comes back short (at most 10). */
const PAGE = 500;
const MAX_PAGES = 10;
/**
 * A poller starts this far below the latest change: a change whose transaction was still in
 * flight when the poller started may hold a lower number than the latest visible one.
 */
const LOOKBACK = 256;
/** How long a gap in the sequence is waited on before it counts as a rollback. */
const GAP_WAIT_MS = 30_000;

/** Where a poller delivers what it reads. */
export interface SfsChangeSink {
  change(change: SfsTokenChange): void;
  /** Changes may have been missed (polls started failing, or came back after failing). */
  reset(): void;
}

/**
 * Polls the change sequence (`sfs_token_change`) every `intervalMs` through the host's DataSource:
 * single autocommit statements, an index range scan `WHERE seq > $last`, no session state, so it
 * works through any transaction pooler. `pollOnce()` is public so tests never wait on its timer.
 */
export class SfsTokenChangePoller {
  private readonly logger = new Logger('SfsAuth');
  private cursor: SfsChangeSequenceCursor | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inFlight: Promise<void> | null = null;
  private ok = false;
  private lastOk: number | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: SfsClock,
    private readonly intervalMs: number,
    private readonly sink: SfsChangeSink,
  ) {}

  /** True while the last poll succeeded. */
  get healthy(): boolean {
    return this.ok;
  }

  /** When (injected clock) the last successful poll started; null before the first. */
  get lastSuccessAt(): number | null {
    return this.lastOk;
  }

  /** Polls once now, then every `intervalMs` until stopped. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.pollOnce();
    this.schedule();
  }

  /** Stops the timer and waits for a poll in flight. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
    this.ok = false;
  }

  /** One poll (a poll already in flight is joined, not doubled). */
  pollOnce(): Promise<void> {
    this.inFlight ??= this.poll().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.pollOnce().finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const startedAt = this.clock.now();
    try {
      await sfsWithConnection(this.dataSource, async (sql) => {
        const cursor = (this.cursor ??= new SfsChangeSequenceCursor(
          Math.max(0, (await sfsLatestChangeSeq(sql)) - LOOKBACK),
          Math.max(3, Math.ceil(GAP_WAIT_MS / this.intervalMs)),
        ));
        for (let page = 0; page < MAX_PAGES; page++) {
          const changes = await sfsChangesAfter(sql, cursor.after, cursor.skip, PAGE);
          for (const { tenantId, tokenId } of changes) this.sink.change({ tenantId, tokenId });
          cursor.accept(changes.map((c) => c.seq));
          if (changes.length < PAGE) break;
        }
      });
    } catch (error) {
      if (this.ok || this.lastOk === null) {
        const why = sfsDriverCode(error) ?? sfsErrorCode(error);
        this.logger.warn(`token change poll failed (${why}); retrying`);
      }
      // Start again from the then-latest change: the cache is cleared on the way back anyway.
      this.cursor = null;
      if (this.ok) {
        this.ok = false;
        this.sink.reset();
      }
      return;
    }
    const recovered = !this.ok && this.lastOk !== null;
    this.ok = true;
    this.lastOk = startedAt;
    if (recovered) this.sink.reset();
  }
}
