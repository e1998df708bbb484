import { Module } from '@nestjs/common';
import { SfsHealthStore } from './health.store';
import { SfsAuthHealthIndicator } from './sfs-auth.health-indicator';

/**
 * The health indicator a host's health check calls, and its gauges query.
 *
 * @internal
 */
@Module({
  providers: [SfsHealthStore, SfsAuthHealthIndicator],
  exports: [SfsAuthHealthIndicator],
})
export class SfsHealthModule {}
