import { Module } from '@nestjs/common';
import { SfsTenantCountsStore } from './tenant-counts.store';
import { SfsTenantCountsWorker } from './tenant-counts.worker';

/**
 * The per-tenant token counts, folded in the background.
 *
 * @internal
 */
@Module({
  providers: [SfsTenantCountsStore, SfsTenantCountsWorker],
  exports: [SfsTenantCountsWorker],
})
export class SfsTenantCountsModule {}
