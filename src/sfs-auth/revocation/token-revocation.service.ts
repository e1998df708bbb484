import { Inject, Injectable } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { SfsTenantTokenCipher } from '../crypto/tenant-token.cipher';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SfsRevocationOutbox, type SfsRevocationFilter } from './revocation.outbox';
import { workBackoffMs } from '../scheduling/backoff';
import { SfsSemaphore } from '../common/semaphore';
import { sfsPassLanes, sfsRunPipelinedPass } from '../scheduling/work-pipeline';
import { sfsErrorDetail } from '../errors/safe-error';
import { SfsClientTokenCalls } from '../sfs/client-token.calls';
import { SfsRevokeInstrumentation, type SfsRevocationOutcome } from './revoke.instrumentation';
import type { SfsActor, SfsRevocationWork } from '../model/token-record';

export type { SfsRevocationOutcome } from './revoke.instrumentation';

/** The report of one revocation pass. */
export interface SfsRevocationReport {
  readonly claimed: number;
  readonly outcomes: SfsRevocationOutcome[];
  /** More rows may be due (the pass stopped at its batch limit): run another pass at once. */
  readonly backlog?: boolean;
}

/** Batches one pass claims at most before it hands over (the worker then runs another pass). */
const MAX_BATCHES_PER_PASS = 10;

/**
 * Revocation through the outbox: a request marks tokens `revoking` and queues them in one
 * transaction (from then on they are never served); passes call SFS until it confirms. Transient
 * failures back off for up to `revocationGiveUpSeconds`; then the row is `failed`, visible and
 * retryable. Nothing is dropped silently. Spans, metrics and events are the instrumentation's
 * (`revoke.instrumentation.ts`).
 *
 * @internal
 */
@Injectable()
export class SfsTokenRevocationService {
  constructor(
    private readonly outbox: SfsRevocationOutbox,
    private readonly calls: SfsClientTokenCalls,
    private readonly cipher: SfsTenantTokenCipher,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'workers'>,
    private readonly instrumentation: SfsRevokeInstrumentation,
  ) {}

  /** Queues the revocation of every live token of `filter`; returns their ids. */
  request(filter: SfsRevocationFilter, reason: string, actor: SfsActor): Promise<string[]> {
    return this.outbox.requestRevocation(filter, reason, actor, new Date(this.clock.now()));
  }

  /** `failed` outbox rows back to `pending`, due now. */
  retryFailed(
    tenantId: string,
    tokenId: string | undefined,
    actor: SfsActor,
    reason?: string,
  ): Promise<number> {
    const now = new Date(this.clock.now());
    return this.outbox.retryFailedRevocations(tenantId, now, actor, tokenId, reason);
  }

  /**
   * Claims due outbox rows as `owner` and asks SFS to revoke them, `workers.concurrency` calls in
   * flight. As in a refresh pass, more rows are in hand than SFS slots (lanes) and a lane holds an
   * SFS slot only for the SFS call, so one row's confirmation overlaps the next row's call; the
   * next batch is claimed while the lanes still work (`scheduling/work-pipeline.ts`). The pass ends
   * when a claim comes back short, or after {@link MAX_BATCHES_PER_PASS} batches (the worker then
   * starts another pass at once).
   */
  async runPass(owner: string): Promise<SfsRevocationReport> {
    const { leaseMs, batchSize, concurrency } = this.options.workers;
    const sfsSlots = new SfsSemaphore(concurrency);
    return sfsRunPipelinedPass({
      claim: (limit) =>
        this.outbox.claimDueRevocations(owner, new Date(this.clock.now()), leaseMs, limit),
      batchSize,
      lanes: sfsPassLanes(concurrency),
      maxBatches: MAX_BATCHES_PER_PASS,
      work: (work) => this.instrumentation.observe(work, () => this.revokeOne(work, sfsSlots)),
    });
  }

  private async revokeOne(
    work: SfsRevocationWork,
    sfsSlots: SfsSemaphore,
  ): Promise<SfsRevocationOutcome> {
    const now = this.clock.now();
    if (work.tokenExpiresAt.getTime() <= now || !work.sealed) {
      return this.confirm(work, 'expired');
    }
    try {
      const token = await this.cipher.open(work.sealed, {
        tenantId: work.tenantId,
        tokenId: work.tokenId,
      });
      await sfsSlots.run(() => this.calls.revoke(work.tenantId, token));
      return this.confirm(work, 'sfs');
    } catch (error) {
      if (alreadyDead(error)) return this.confirm(work, 'already-dead');
      return this.fail(work, error, now);
    }
  }

  private async confirm(
    work: SfsRevocationWork,
    by: 'sfs' | 'already-dead' | 'expired',
  ): Promise<SfsRevocationOutcome> {
    const done = await this.outbox.confirmRevocation(work.id, work.version, {
      tenantId: work.tenantId,
      tokenId: work.tokenId,
      actor: 'system',
      at: new Date(this.clock.now()),
      type: 'revoked',
      reason: work.reason,
      detail: {
        confirmedBy: by,
        attempts: work.attempts + 1,
        requestedAt: work.requestedAt.toISOString(),
      },
    });
    if (!done) return { tokenId: work.tokenId, outcome: 'skipped' };
    return { tokenId: work.tokenId, outcome: 'revoked', confirmedBy: by };
  }

  private async fail(
    work: SfsRevocationWork,
    error: unknown,
    now: number,
  ): Promise<SfsRevocationOutcome> {
    const code = error instanceof SfsAuthError ? error.code : 'UNEXPECTED';
    const transient = !(error instanceof SfsAuthError) || error.retryable;
    const givenUp =
      now - work.requestedAt.getTime() >= this.options.workers.revocationGiveUpSeconds * 1000;
    const permanent = !transient || givenUp;
    const wait = Math.max(
      error instanceof SfsAuthError ? (error.retryAfterMs ?? 0) : 0,
      workBackoffMs(work.attempts, this.options.workers.maxBackoffMs),
    );
    const nextAttemptAt = new Date(now + wait);
    const recorded = await this.outbox.recordRevocationFailure(
      work.id,
      work.version,
      { error: `${code}: ${sfsErrorDetail(error)}`, nextAttemptAt, permanent },
      {
        tenantId: work.tenantId,
        tokenId: work.tokenId,
        actor: 'system',
        at: new Date(now),
        type: permanent ? 'revoke_failed' : 'revoke_retried',
        reason: code,
        detail: { attempts: work.attempts + 1 },
      },
    );
    if (!recorded) return { tokenId: work.tokenId, outcome: 'skipped' };
    if (!permanent) return { tokenId: work.tokenId, outcome: 'retry', code, nextAttemptAt };
    return { tokenId: work.tokenId, outcome: 'failed', code };
  }
}

/** SFS no longer knows the token (401 after a fresh platform token, or 404): nothing left to revoke. */
function alreadyDead(error: unknown): boolean {
  return (
    error instanceof SfsAuthError &&
    (error.code === 'SFS_TOKEN_REJECTED' ||
      (error.code === 'SFS_REQUEST_REJECTED' && error.status === 404))
  );
}
