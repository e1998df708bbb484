import { Module } from '@nestjs/common';
import { SfsRetentionService } from './retention.service';
import { SfsRetentionWorker } from './retention.worker';
import { SfsTokenRetentionStore } from './token-retention.store';

/**
 * Retention: old rows, events and idle key leases purged.
 *
 * @internal
 */
@Module({
  providers: [SfsTokenRetentionStore, SfsRetentionService, SfsRetentionWorker],
  exports: [SfsRetentionWorker],
})
export class SfsRetentionModule {}
