import { Module } from '@nestjs/common';
import { SfsQueuedRevocations } from './queued-revocations';
import { SfsRevocationOutbox } from './revocation.outbox';
import { SfsRevocationWorker } from './revocation.worker';
import { SfsRevokeInstrumentation } from './revoke.instrumentation';
import { SfsTokenRevocationService } from './token-revocation.service';

/**
 * The revocation outbox: requests, passes, their worker and instrumentation.
 *
 * @internal
 */
@Module({
  providers: [
    SfsRevocationOutbox,
    SfsRevokeInstrumentation,
    SfsTokenRevocationService,
    SfsRevocationWorker,
    SfsQueuedRevocations,
  ],
  exports: [SfsTokenRevocationService, SfsRevocationWorker, SfsQueuedRevocations],
})
export class SfsRevocationModule {}
