import { Module } from '@nestjs/common';
import { SfsOffboardingWorker } from './offboarding.worker';
import { SfsTenantOffboardingService } from './tenant-offboarding.service';
import { SfsTenantOffboardingStore } from './tenant-offboarding.store';

/**
 * Tenant offboarding: the tombstone's state machine and its worker.
 *
 * @internal
 */
@Module({
  providers: [SfsTenantOffboardingStore, SfsTenantOffboardingService, SfsOffboardingWorker],
  exports: [SfsTenantOffboardingService, SfsOffboardingWorker],
})
export class SfsOffboardingModule {}
