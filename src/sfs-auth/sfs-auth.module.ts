import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { withSfsAdminApi } from './admin/admin.providers';
import { SfsApiClient } from './client/sfs-api.client';
import { SfsClock, SfsSystemClock } from './clock/clock';
import { SfsAuthEventListener } from './events/sfs-auth.listener';
import { SfsEventPublisher } from './events/sfs-event.publisher';
import { SfsAuthHealthIndicator } from './health/sfs-auth.health-indicator';
import { SFS_METRICS_PROVIDERS } from './metrics/metrics.providers';
import { resolveSfsAuthOptions } from './options/resolve-sfs-auth-options';
import type { SfsAuthModuleOptions } from './options/sfs-auth-options.interface';
import { SFS_AUTH_ENTITIES } from './persistence/entities';
import { SFS_PERSISTENCE_PROVIDERS } from './persistence/persistence.providers';
import { createInstanceId, SFS_INSTANCE_ID } from './scheduling/instance-id';
import { SfsRefreshWorker } from './scheduling/refresh.worker';
import { SfsRevocationWorker } from './scheduling/revocation.worker';
import { SfsRetentionService } from './retention/retention.service';
import { SfsRetentionWorker } from './scheduling/retention.worker';
import { SfsOffboardingWorker } from './scheduling/offboarding.worker';
import { SfsTenantGate } from './offboarding/tenant-gate';
import { SfsTenantOffboardingService } from './offboarding/tenant-offboarding.service';
import { SfsPlatformTokenProvider } from './sfs/platform-token.provider';
import { SFS_WIRE_PROVIDERS } from './sfs/sfs-wire.providers';
import {
  SFS_AUTH_ASYNC_OPTIONS_TYPE,
  SFS_AUTH_MODULE_OPTIONS,
  SFS_AUTH_OPTIONS_TYPE,
  SFS_AUTH_RESOLVED_OPTIONS,
  SfsAuthConfigurableModule,
} from './sfs-auth.module-definition';
import { SfsTokenService } from './tokens/sfs-token.service';
import { SfsTokenMinter } from './tokens/token-minter';
import { SfsUnstoredTokenDiscarder } from './tokens/unstored-token.discarder';
import { SfsTokenRefreshService } from './tokens/token-refresh.service';
import { SfsTokenReencryptionService } from './tokens/token-reencryption.service';
import { SfsTokenRevocationService } from './tokens/token-revocation.service';
import { SfsTokenServingService } from './tokens/token-serving.service';

/**
 * Holds SFS client tokens for a multi-tenant host: `SfsAuthModule.forRoot(options)` or
 * `forRootAsync({ useFactory })`. The host provides TypeORM (with `SFS_AUTH_ENTITIES` and
 * `SFS_AUTH_MIGRATIONS`), `ScheduleModule.forRoot()` and `EventEmitterModule.forRoot()`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([...SFS_AUTH_ENTITIES])],
  providers: [
    {
      provide: SFS_AUTH_RESOLVED_OPTIONS,
      useFactory: (options: SfsAuthModuleOptions) => resolveSfsAuthOptions(options),
      inject: [SFS_AUTH_MODULE_OPTIONS],
    },
    { provide: SfsClock, useClass: SfsSystemClock },
    { provide: SFS_INSTANCE_ID, useFactory: createInstanceId },
    ...SFS_METRICS_PROVIDERS,
    ...SFS_WIRE_PROVIDERS,
    ...SFS_PERSISTENCE_PROVIDERS,
    SfsEventPublisher,
    SfsTokenMinter,
    SfsUnstoredTokenDiscarder,
    SfsTokenServingService,
    SfsTokenRefreshService,
    SfsTokenRevocationService,
    SfsTokenReencryptionService,
    SfsRefreshWorker,
    SfsRevocationWorker,
    SfsRetentionService,
    SfsRetentionWorker,
    SfsTenantGate,
    SfsTenantOffboardingService,
    SfsOffboardingWorker,
    SfsTokenService,
    SfsApiClient,
    SfsAuthEventListener,
    SfsAuthHealthIndicator,
  ],
  exports: [
    SfsTokenService,
    SfsApiClient,
    SfsPlatformTokenProvider,
    SfsRefreshWorker,
    SfsRevocationWorker,
    SfsRetentionWorker,
    SfsOffboardingWorker,
    SfsClock,
    SfsAuthHealthIndicator,
  ],
})
export class SfsAuthModule extends SfsAuthConfigurableModule {
  /** Options given directly; `adminApi: true` mounts the tenant admin API. */
  static override forRoot(options: typeof SFS_AUTH_OPTIONS_TYPE): DynamicModule {
    return withSfsAdminApi(super.forRoot(options), options.adminApi);
  }

  /** Options from a factory (e.g. `sfsAuthOptionsFromEnv(config)`); `adminApi` is given here. */
  static override forRootAsync(options: typeof SFS_AUTH_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withSfsAdminApi(super.forRootAsync(options), options.adminApi);
  }
}
