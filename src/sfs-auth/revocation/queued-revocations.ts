import { Injectable } from '@nestjs/common';
import { SfsTokenServingService } from '../serving/token-serving.service';
import { SfsRevocationWorker } from './revocation.worker';

/**
 * What follows revocations this instance just queued: the tokens leave this instance's cache at
 * once (the change feed tells the other instances) and the revocation worker starts a pass now
 * rather than at its next sweep, so SFS hears of a logout within one SFS call.
 *
 * @internal
 */
@Injectable()
export class SfsQueuedRevocations {
  constructor(
    private readonly serving: SfsTokenServingService,
    private readonly worker: SfsRevocationWorker,
  ) {}

  /** Tokens queued for revocation (marked `revoking`, no longer served). */
  queued(tokenIds: readonly string[]): void {
    tokenIds.forEach((id) => this.serving.forget(id));
    if (tokenIds.length > 0) this.worker.nudge();
  }

  /** `failed` revocations put back in the queue. */
  retried(count: number): void {
    if (count > 0) this.worker.nudge();
  }
}
