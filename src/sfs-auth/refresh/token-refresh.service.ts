import { Inject, Injectable } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SfsKeyLeaseStore, type SfsKeyClaim } from '../serving/key-lease.store';
import { SfsRefreshQueue } from './refresh.queue';
import { workBackoffMs } from '../scheduling/backoff';
import { sfsErrorDetail } from '../errors/safe-error';
import { SfsRefreshInstrumentation, type SfsRefreshOutcome } from './refresh.instrumentation';
import { SfsTokenMinter, type SfsReplaceOptions } from '../serving/token-minter';
import { SfsSemaphore } from '../common/semaphore';
import { sfsPassLanes, sfsRunPipelinedPass } from '../scheduling/work-pipeline';
import type { SfsTokenRecord } from '../model/token-record';

export type { SfsRefreshOutcome } from './refresh.instrumentation';

/** The report of one pass: every claimed token's outcome. */
export interface SfsRefreshReport {
  readonly claimed: number;
  readonly outcomes: SfsRefreshOutcome[];
  /** More rows may be due (the pass stopped at its batch limit): run another pass at once. */
  readonly backlog?: boolean;
}

/** Batches one pass claims at most before it reports a backlog and hands over. */
const MAX_BATCHES_PER_PASS = 10;

/**
 * Keys one statement claims at most: the lane about to mint claims its row's key with those of the
 * next rows in hand. Claimed ahead, a key waits at most for the rows before it, and a due row is
 * claimed for as long (`workers.leaseMs`) from the earlier claim of its batch.
 */
const KEYS_PER_CLAIM = 64;

/**
 * Replaces tokens before they expire. Instances share the work through the database: each pass
 * claims a bounded batch of due rows (SKIP LOCKED + lease), and every mint happens under the key
 * lock after re-reading the row, so a row is never refreshed twice and a revoked one never comes back.
 *
 * @internal
 */
@Injectable()
export class SfsTokenRefreshService {
  constructor(
    private readonly minter: SfsTokenMinter,
    private readonly instrumentation: SfsRefreshInstrumentation,
    private readonly queue: SfsRefreshQueue,
    private readonly leases: SfsKeyLeaseStore,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<
      SfsAuthResolvedOptions,
      'idleServiceTokenSeconds' | 'maxSessionAgeSeconds' | 'workers'
    >,
  ) {}

  /**
   * Claims due tokens as `owner` and refreshes them with `workers.concurrency` SFS calls in
   * flight. More rows are in hand than SFS slots (lanes, `scheduling/work-pipeline.ts`), and a lane
   * holds an SFS slot only for the SFS call, so while rows' keys are claimed or their new tokens
   * recorded, other rows' SFS calls already run in the slots: the slots stay busy, and the
   * database's round trips add nothing to a row's turn.
   * The next batch is claimed ahead, while the lanes still work, so no lane idles at a batch
   * boundary. A lane about to mint claims the keys of the next rows (up to
   * {@link KEYS_PER_CLAIM}) in one statement, and mints recorded at once share one statement
   * (`serving/key-lease.store.ts`), so each refresh costs SFS plus its share of a few statements. The pass ends when a claim comes back short, or after
   * {@link MAX_BATCHES_PER_PASS} batches (the worker then starts another pass at once).
   */
  async runPass(owner: string): Promise<SfsRefreshReport> {
    const { leaseMs, batchSize, concurrency } = this.options.workers;
    const sfsSlots = new SfsSemaphore(concurrency);
    const keyClaims = new Map<string, Promise<SfsKeyClaim | undefined>>();
    const keyClaimOf = (
      row: SfsTokenRecord,
      waiting: readonly SfsTokenRecord[],
    ): Promise<SfsKeyClaim | undefined> => {
      if (!keyClaims.has(row.id)) {
        const now = this.clock.now();
        const batch = [row];
        for (const next of waiting) {
          if (batch.length >= KEYS_PER_CLAIM) break;
          if (!keyClaims.has(next.id) && this.mintsNow(next, now)) batch.push(next);
        }
        const claimed = this.leases
          .claimKeys(batch, owner, new Date(now), leaseMs)
          // The lane then claims its key alone, and meets the same error there if it persists.
          .catch(() => undefined);
        batch.forEach((r, i) =>
          keyClaims.set(
            r.id,
            claimed.then((all) => all?.[i]),
          ),
        );
      }
      const claim = keyClaims.get(row.id)!;
      keyClaims.delete(row.id);
      return claim;
    };
    return sfsRunPipelinedPass({
      claim: (limit) =>
        this.queue.claimDueRefreshes(owner, new Date(this.clock.now()), leaseMs, limit),
      batchSize,
      lanes: sfsPassLanes(concurrency),
      maxBatches: MAX_BATCHES_PER_PASS,
      work: async (row, waiting) => {
        const claimed = this.mintsNow(row, this.clock.now())
          ? await keyClaimOf(row, waiting)
          : undefined;
        return this.refreshOne(row, { claimed, sfsSlots });
      },
    });
  }

  /**
   * Refreshes one claimed row, observed by the instrumentation (`refresh.instrumentation.ts`).
   * `pass` carries what {@link runPass} has for it: a claim of the row's key made ahead (given
   * back here when the row is not minted) and the pass's SFS slots.
   */
  refreshOne(row: SfsTokenRecord, pass: SfsReplaceOptions = {}): Promise<SfsRefreshOutcome> {
    return this.instrumentation.observe(row, () => this.refreshRow(row, pass));
  }

  private async refreshRow(
    row: SfsTokenRecord,
    pass: SfsReplaceOptions,
  ): Promise<SfsRefreshOutcome> {
    const now = this.clock.now();
    if (pass.claimed?.lease && !this.mintsNow(row, now)) {
      await this.leases.releaseKey(pass.claimed.lease).catch(() => undefined);
      pass = { ...pass, claimed: undefined };
    }
    const at = new Date(now);
    const base = { tenantId: row.tenantId, tokenId: row.id, actor: 'system', at };
    if (row.expiresAt.getTime() <= now) {
      await this.queue.markExpired(row.id, row.version, { ...base, type: 'expired' });
      return { tokenId: row.id, outcome: 'expired' };
    }
    const leave = this.reasonToLeave(row, now);
    if (leave) {
      await this.queue.postponeRefresh(row.id, row.version, row.expiresAt, {
        ...base,
        type: 'refresh_skipped',
        reason: leave,
      });
      return { tokenId: row.id, outcome: 'left-to-expire', reason: leave };
    }
    try {
      const result = await this.minter.replace(row, 'system', pass);
      if (result.kind === 'minted')
        return { tokenId: row.id, outcome: 'refreshed', newTokenId: result.token.tokenId };
      if (result.kind === 'lost')
        return { tokenId: row.id, outcome: 'skipped', reason: 'revoked during refresh' };
      return {
        tokenId: row.id,
        outcome: 'skipped',
        reason: result.kind === 'skipped' ? result.reason : 'found',
      };
    } catch (error) {
      return this.fail(row, error, now);
    }
  }

  /** Whether {@link refreshOne} would mint `row` at `now` (not expired, not left to expire). */
  private mintsNow(row: SfsTokenRecord, now: number): boolean {
    return row.expiresAt.getTime() > now && this.reasonToLeave(row, now) === null;
  }

  private reasonToLeave(row: SfsTokenRecord, now: number): string | null {
    if (row.subjectId === null) {
      const lastUse = (row.lastUsedAt ?? row.issuedAt).getTime();
      if (now - lastUse > this.options.idleServiceTokenSeconds * 1000) return 'service token idle';
    } else if (now - row.sessionStartedAt.getTime() > this.options.maxSessionAgeSeconds * 1000) {
      return 'session older than maxSessionAgeSeconds';
    }
    return null;
  }

  private async fail(row: SfsTokenRecord, error: unknown, now: number): Promise<SfsRefreshOutcome> {
    const code = error instanceof SfsAuthError ? error.code : 'UNEXPECTED';
    const permanent = !(error instanceof SfsAuthError) ? false : !error.retryable;
    const wait = Math.max(
      error instanceof SfsAuthError ? (error.retryAfterMs ?? 0) : 0,
      workBackoffMs(row.attempts, this.options.workers.maxBackoffMs),
    );
    await this.queue.recordRefreshFailure(
      row.id,
      row.version,
      {
        error: `${code}: ${sfsErrorDetail(error)}`,
        nextAttemptAt: new Date(now + wait),
        permanent,
      },
      {
        tenantId: row.tenantId,
        tokenId: row.id,
        actor: 'system',
        at: new Date(now),
        type: 'refresh_failed',
        reason: code,
      },
    );
    return { tokenId: row.id, outcome: 'failed', code, permanent };
  }
}
