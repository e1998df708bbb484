import type { Provider } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SfsAuthHealthIndicator } from './sfs-auth.health-indicator';

/**
 * Health providers of the module. terminus' `HealthIndicatorService` is stateless and has no
 * dependencies, so the module provides its own instance: hosts that never import `TerminusModule`
 * still boot, and hosts that do are unaffected (theirs stays theirs).
 */
export const SFS_HEALTH_PROVIDERS: Provider[] = [HealthIndicatorService, SfsAuthHealthIndicator];
