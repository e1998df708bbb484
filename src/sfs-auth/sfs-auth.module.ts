import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { withSfsAdminApi } from './admin/admin.providers';
import { SfsApiClient } from './host-api/sfs-api.client';
import { SfsClock, SfsSystemClock } from './clock/clock';
import { SfsAuthEventListener } from './login-logout/login-logout.listener';
import { SfsEventPublisher } from './events/sfs-event.publisher';
import { SfsAuthHealthIndicator } from './health/sfs-auth.health-indicator';
import { SFS_METRICS_PROVIDERS } from './metrics/metrics.providers';
import { resolveSfsAuthOptions } from './options/resolve-sfs-auth-options';
import { type SfsAuthModuleOptions } from './options/sfs-auth-options.interface';
import { SFS_AUTH_RESOLVED_OPTIONS } from './options/option-table';
import { SFS_AUTH_ENTITIES } from './persistence/entities';
import { SFS_CRYPTO_PROVIDERS } from './crypto/crypto.providers';
import { SfsReencryptionStore } from './crypto/reencryption.store';
import { SfsKeyLeaseStore } from './serving/key-lease.store';
import { SfsServingStore } from './serving/serving.store';
import { SfsRefreshQueue } from './refresh/refresh.queue';
import { SfsRevocationOutbox } from './revocation/revocation.outbox';
import { SfsChangeFeedService } from './change-feed/change-feed.service';
import { SfsTokenChangeFeed } from './change-feed/token-change.feed';
import { SfsTokenReadModel } from './admin/token-read.model';
import { SfsHealthStore } from './health/health.store';
import { SfsTokenRetentionStore } from './retention/token-retention.store';
import { SfsTenantOffboardingStore } from './offboarding/tenant-offboarding.store';
import { createInstanceId, SFS_INSTANCE_ID } from './scheduling/instance-id';
import { SfsRefreshWorker } from './refresh/refresh.worker';
import { SfsRevocationWorker } from './revocation/revocation.worker';
import { SfsRetentionService } from './retention/retention.service';
import { SfsRetentionWorker } from './retention/retention.worker';
import { SfsOffboardingWorker } from './offboarding/offboarding.worker';
import { SfsTenantCountsStore } from './tenant-counts/tenant-counts.store';
import { SfsTenantCountsWorker } from './tenant-counts/tenant-counts.worker';
import { SfsTenantGate } from './serving/tenant-gate';
import { SfsTenantOffboardingService } from './offboarding/tenant-offboarding.service';
import { SFS_WIRE_PROVIDERS } from './sfs/sfs-wire.providers';
import {
  SFS_AUTH_ASYNC_OPTIONS_TYPE,
  SFS_AUTH_MODULE_OPTIONS,
  SFS_AUTH_OPTIONS_TYPE,
  SfsAuthConfigurableModule,
} from './sfs-auth.module-definition';
import { SfsTokenService } from './host-api/sfs-token.service';
import { SfsTokenMinter } from './serving/token-minter';
import { SfsTokenMaterial } from './serving/token-material';
import { SfsTokenIssuer } from './serving/token-issuer';
import { SfsMintInstrumentation } from './serving/mint.instrumentation';
import { SfsRevokeInstrumentation } from './revocation/revoke.instrumentation';
import { SfsQueuedRevocations } from './revocation/queued-revocations';
import { SfsCallAuthService } from './host-api/call-auth.service';
import { SfsClientTokenCalls } from './sfs/client-token.calls';
import { SfsTokenRefreshService } from './refresh/token-refresh.service';
import { SfsTokenReencryptionService } from './crypto/token-reencryption.service';
import { SfsTokenRevocationService } from './revocation/token-revocation.service';
import { SfsSessionTokenController } from './handoff/session-token.controller';
import { SfsSessionTokenService } from './handoff/session-token.service';
import { SfsTokenServingService } from './serving/token-serving.service';

/**
 * Holds SFS client tokens for a multi-tenant host: `SfsAuthModule.forRoot(options)` or
 * `forRootAsync({ useFactory })`. The host provides TypeORM (with `SFS_AUTH_ENTITIES` and
 * `SFS_AUTH_MIGRATIONS`), `ScheduleModule.forRoot()` and `EventEmitterModule.forRoot()`.
 *
 * @group Module
 * @publicApi
 */
@Module({
  imports: [TypeOrmModule.forFeature([...SFS_AUTH_ENTITIES])],
  // Answers 404 until `handoff.resolveSubject` is given (options may come from a factory).
  controllers: [SfsSessionTokenController],
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
    ...SFS_CRYPTO_PROVIDERS,
    SfsServingStore,
    SfsKeyLeaseStore,
    SfsRefreshQueue,
    SfsRevocationOutbox,
    SfsReencryptionStore,
    SfsTokenReadModel,
    SfsHealthStore,
    SfsChangeFeedService,
    { provide: SfsTokenChangeFeed, useExisting: SfsChangeFeedService },
    SfsTokenRetentionStore,
    SfsTenantOffboardingStore,
    SfsEventPublisher,
    SfsTokenMaterial,
    SfsTokenMinter,
    SfsClientTokenCalls,
    SfsTokenIssuer,
    SfsMintInstrumentation,
    SfsTokenServingService,
    SfsTokenRefreshService,
    SfsTokenRevocationService,
    SfsRevokeInstrumentation,
    SfsQueuedRevocations,
    SfsTokenReencryptionService,
    SfsRefreshWorker,
    SfsRevocationWorker,
    SfsRetentionService,
    SfsRetentionWorker,
    SfsTenantCountsStore,
    SfsTenantCountsWorker,
    SfsTenantGate,
    SfsTenantOffboardingService,
    SfsOffboardingWorker,
    SfsTokenService,
    SfsCallAuthService,
    SfsApiClient,
    SfsAuthEventListener,
    SfsAuthHealthIndicator,
    SfsSessionTokenService,
  ],
  // What a host injects, and nothing else: each is public (src/index.ts); the workers and the
  // platform-token provider are internal (tests reach them with `app.get`).
  exports: [SfsTokenService, SfsApiClient, SfsClock, SfsAuthHealthIndicator],
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
