import { Inject, Injectable, Logger } from '@nestjs/common';
import { sfsErrorCode } from '../errors/safe-error';
import { SFS_AUTH_EVENTS, SfsTokenLateAnswerEvent } from '../events/sfs-auth-events';
import { SfsEventPublisher } from '../events/sfs-event.publisher';
import type { SfsActor, SfsTokenKey } from '../model/token-record';
import { SfsMetricsRecorder } from '../options/metrics-recorder';
import type { SfsIssuedToken } from '../sfs/sfs-wire';
import { SfsKeyLeaseStore } from './key-lease.store';
import { SfsTokenMaterial } from './token-material';
import { SfsUnstoredTokenDiscarder } from './unstored-token.discarder';

/** The revoke reason of a token SFS issued after the request timed out. */
export const SFS_LATE_ANSWER_REASON = 'SFS answered after the timeout';

/**
 * Records a client token that SFS issued in a late answer (the mint had already failed with a
 * timeout, and may have been retried): the token is sealed into a `revoking` row with its outbox
 * entry, so it is revoked like any other and no live token exists that the module does not know.
 * When even that write fails, the discarder revokes it from memory.
 */
@Injectable()
export class SfsLateTokenRecorder {
  private readonly logger = new Logger('SfsLateAnswers');

  constructor(
    private readonly material: SfsTokenMaterial,
    private readonly leases: SfsKeyLeaseStore,
    private readonly discarder: SfsUnstoredTokenDiscarder,
    private readonly publisher: SfsEventPublisher,
    @Inject(SfsMetricsRecorder) private readonly metrics: SfsMetricsRecorder,
  ) {}

  async record(key: SfsTokenKey, actor: SfsActor, issued: SfsIssuedToken): Promise<void> {
    this.metrics.countLateAnswer?.();
    try {
      const { lost } = await this.material.records(key, { actor }, null, issued);
      const orphan = {
        record: { ...lost.record, revokeReason: SFS_LATE_ANSWER_REASON },
        events: lost.events.map((event) => ({ ...event, reason: SFS_LATE_ANSWER_REASON })),
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
      await this.discarder.discard(key.tenantId, issued.accessToken);
    }
  }
}
