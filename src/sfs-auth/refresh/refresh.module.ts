import { Module } from '@nestjs/common';
import { SfsRefreshInstrumentation } from './refresh.instrumentation';
import { SfsRefreshQueue } from './refresh.queue';
import { SfsRefreshWorker } from './refresh.worker';
import { SfsTokenRefreshService } from './token-refresh.service';

/**
 * Refresh before expiry: the due-row queue, the pass and its worker.
 *
 * @internal
 */
@Module({
  providers: [SfsRefreshQueue, SfsRefreshInstrumentation, SfsTokenRefreshService, SfsRefreshWorker],
  exports: [SfsRefreshWorker],
})
export class SfsRefreshModule {}
