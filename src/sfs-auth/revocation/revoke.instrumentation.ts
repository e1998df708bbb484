import { Inject, Injectable } from '@nestjs/common';
import {
  SFS_AUTH_EVENTS,
  SfsTokenEventBase,
  SfsTokenFailedEvent,
  SfsTokenRevokedEvent,
} from '../events/sfs-auth-events';
import { SfsEventPublisher } from '../events/sfs-event.publisher';
import type { SfsRevocationWork } from '../model/token-record';
import { SfsMetricsRecorder, type SfsMetricOutcome } from '../options/metrics-recorder';
import { sfsKeyAttributes, sfsTracer } from '../tracing/sfs-tracer';

/** What one revocation pass did to one outbox row. */
export type SfsRevocationOutcome =
  | { tokenId: string; outcome: 'revoked'; confirmedBy: 'sfs' | 'already-dead' | 'expired' }
  | { tokenId: string; outcome: 'retry'; code: string; nextAttemptAt: Date }
  | { tokenId: string; outcome: 'failed'; code: string }
  | { tokenId: string; outcome: 'skipped' };

/** How each outcome is counted (`skipped`: another instance's write won; not an attempt). */
const REVOKE_METRIC: Record<SfsRevocationOutcome['outcome'], SfsMetricOutcome | null> = {
  revoked: 'ok',
  retry: 'retry',
  failed: 'failed',
  skipped: null,
};

/**
 * Everything observed about one revocation attempt, from outside the outbox protocol
 * (`token-revocation.service.ts`): span `sfs-auth.revoke` (the SFS attempts are its children),
 * the `revoke` count by outcome for the metrics recorder, and the `tokenRevoked` event of a
 * confirmed revocation or the `tokenFailed` event of one given up.
 *
 * @internal
 */
@Injectable()
export class SfsRevokeInstrumentation {
  private readonly tracer = sfsTracer();

  constructor(
    private readonly publisher: SfsEventPublisher,
    @Inject(SfsMetricsRecorder) private readonly metrics: SfsMetricsRecorder,
  ) {}

  /** Runs `revoke` for `work`, observed. */
  async observe(
    work: SfsRevocationWork,
    revoke: () => Promise<SfsRevocationOutcome>,
  ): Promise<SfsRevocationOutcome> {
    const key = { tenantId: work.tenantId, clientKey: work.clientKey, id: work.tokenId };
    const outcome = await this.tracer.operation('revoke', sfsKeyAttributes(key), revoke);
    const metric = REVOKE_METRIC[outcome.outcome];
    if (metric) this.metrics.countOperation('revoke', metric);
    if (outcome.outcome === 'revoked') {
      const base = new SfsTokenEventBase(
        work.tenantId,
        work.tokenId,
        work.clientKey,
        work.subjectId,
      );
      this.publisher.publish(
        SFS_AUTH_EVENTS.tokenRevoked,
        new SfsTokenRevokedEvent(base, work.reason),
      );
    } else if (outcome.outcome === 'failed') {
      this.publisher.publish(
        SFS_AUTH_EVENTS.tokenFailed,
        new SfsTokenFailedEvent(work.tenantId, work.tokenId, 'revoke', outcome.code, true),
      );
    }
    return outcome;
  }
}
