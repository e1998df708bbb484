import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { sfsErrorCode } from '../errors/safe-error';
import { SFS_AUTH_EVENTS, SfsTokenLateAnswerEvent } from '../events/sfs-auth-events';
import { SfsEventPublisher } from '../events/sfs-event.publisher';
import type { SfsActor, SfsTokenKey } from '../model/token-record';
import { SfsMetricsRecorder } from '../options/metrics-recorder';
import { SfsClientTokenCalls } from '../sfs/client-token.calls';
import type { SfsIssuedToken } from '../sfs/sfs-wire';
import { SfsKeyLeaseStore } from './key-lease.store';
import { SfsTokenMaterial } from './token-material';

/** The revoke reason of a token SFS issued after the request timed out. */
export const SFS_LATE_ANSWER_REASON = 'SFS answered after the timeout';

/** Waits between background attempts (about 2 minutes in all), after the first, awaited one. */
export const SFS_DISCARD_RETRY_DELAYS_MS: readonly number[] = [
  500, 1000, 2000, 4000, 8000, 15000, 30000, 60000,
];

/**
 * Asks SFS for client tokens, and sees to it that no live token exists that the module does not
 * know, when SFS issued one that no row of the mint holds:
 * - a **late answer** (the mint had already failed with a timeout, and may have been retried) is
 *   sealed into a `revoking` row with its outbox entry, and revoked like any other;
 * - an **unrecorded** token (the database went away mid-mint, the commit was refused, and so a
 *   late answer whose row could not be written either) is revoked at SFS at once. There is no row
 *   to hold an outbox entry, so a failed attempt is retried in memory, in the background, with
 *   backoff; the first attempt is awaited by the caller.
 *
 * @internal
 */
@Injectable()
export class SfsTokenIssuer implements OnApplicationShutdown {
  private readonly logger = new Logger('SfsTokenIssuer');
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly material: SfsTokenMaterial,
    private readonly leases: SfsKeyLeaseStore,
    private readonly calls: SfsClientTokenCalls,
    private readonly publisher: SfsEventPublisher,
    @Inject(SfsMetricsRecorder) private readonly metrics: SfsMetricsRecorder,
  ) {}

  /**
   * A new client token for `key`, from SFS. Should the call time out and SFS answer after all, that
   * token is recorded for revocation (see the class), as `actor`'s.
   */
  issue(key: SfsTokenKey, actor: SfsActor): Promise<SfsIssuedToken> {
    return this.calls.create(key.tenantId, key.clientKey, (late) => {
      void this.recordLate(key, actor, late);
    });
  }

  /** Records a late answer's token for revocation (announced as `tokenLateAnswer`). */
  private async recordLate(
    key: SfsTokenKey,
    actor: SfsActor,
    issued: SfsIssuedToken,
  ): Promise<void> {
    this.metrics.countLateAnswer?.();
    try {
      const { revoking } = await this.material.seal(key, { actor }, null, issued);
      const orphan = {
        record: { ...revoking.record, revokeReason: SFS_LATE_ANSWER_REASON },
        events: revoking.events.map((event) => ({ ...event, reason: SFS_LATE_ANSWER_REASON })),
      };
      await this.leases.recordLost(orphan);
      this.logger.warn(
        `tenant ${key.tenantId}: SFS issued a token after the timeout; recorded as ` +
          `${orphan.record.id} and queued for revocation`,
      );
      this.publisher.publish(
        SFS_AUTH_EVENTS.tokenLateAnswer,
        new SfsTokenLateAnswerEvent(key.tenantId, orphan.record.id, key.clientKey, key.subjectId),
      );
    } catch (error) {
      this.logger.warn(
        `tenant ${key.tenantId}: a late token could not be recorded (${sfsErrorCode(error) ?? 'error'}); revoking it from memory`,
      );
      await this.discard(key.tenantId, issued.accessToken);
    }
  }

  /** Revokes an unrecorded `accessToken` now; on a transient failure keeps trying in the background. */
  async discard(tenantId: string, accessToken: string): Promise<void> {
    await this.attemptDiscard(tenantId, accessToken, 0);
  }

  onApplicationShutdown(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    if (this.timers.size > 0) {
      this.logger.warn(`${this.timers.size} unrecorded token(s) left to expire at shutdown`);
    }
    this.timers.clear();
  }

  private async attemptDiscard(tenantId: string, accessToken: string, attempt: number) {
    try {
      await this.calls.revoke(tenantId, accessToken);
    } catch (error) {
      const code = error instanceof SfsAuthError ? error.code : 'error';
      const wait = SFS_DISCARD_RETRY_DELAYS_MS[attempt];
      if (wait === undefined || (error instanceof SfsAuthError && !error.retryable)) {
        this.logger.warn(
          `tenant ${tenantId}: a token minted for an unrecorded row could not be revoked (${code}); ` +
            'it expires on its own',
        );
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.attemptDiscard(tenantId, accessToken, attempt + 1);
      }, wait);
      timer.unref();
      this.timers.add(timer);
    }
  }
}
