import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { SfsAdminModule } from './admin/admin.module';
import { SfsClockModule } from './clock/clock.module';
import { SfsHandoffModule } from './handoff/handoff.module';
import { SfsHealthModule } from './health/health.module';
import { SfsHostApiModule } from './host-api/host-api.module';
import { SfsLoginLogoutModule } from './login-logout/login-logout.module';
import { SfsMetricsGaugesModule } from './metrics/metrics.providers';
import { SfsOffboardingModule } from './offboarding/offboarding.module';
import { SfsRefreshModule } from './refresh/refresh.module';
import { SfsRetentionModule } from './retention/retention.module';
import { SfsRevocationModule } from './revocation/revocation.module';
import { SfsServingModule } from './serving/serving.module';
import { SfsAuthCoreModule } from './sfs-auth-core.module';
import {
  SFS_AUTH_ASYNC_OPTIONS_TYPE,
  SFS_AUTH_OPTIONS_TYPE,
  SfsAuthConfigurableModule,
  type SfsAdminApiExtras,
} from './sfs-auth.module-definition';
import { SfsTenantCountsModule } from './tenant-counts/tenant-counts.module';

/**
 * Holds SFS client tokens for a multi-tenant host: `SfsAuthModule.forRoot(options)` or
 * `forRootAsync({ useFactory })`. The host provides TypeORM (with `SFS_AUTH_ENTITIES` and
 * `SFS_AUTH_MIGRATIONS`), `ScheduleModule.forRoot()` and `EventEmitterModule.forRoot()`.
 *
 * @group Module
 * @publicApi
 */
@Module({})
export class SfsAuthModule extends SfsAuthConfigurableModule {
  /** Options given directly; `adminApi: true` mounts the tenant admin API. */
  static override forRoot(options: typeof SFS_AUTH_OPTIONS_TYPE): DynamicModule {
    return composeSfsAuth(super.forRoot(options), options.adminApi);
  }

  /** Options from a factory (e.g. `sfsAuthOptionsFromEnv(config)`); `adminApi` is given here. */
  static override forRootAsync(options: typeof SFS_AUTH_ASYNC_OPTIONS_TYPE): DynamicModule {
    return composeSfsAuth(super.forRootAsync(options), options.adminApi);
  }
}

/**
 * The module as a host gets it: the core (options and what every part shares) and the feature
 * modules, each given the very module objects it reads from, so each is one instance. A host
 * may inject what the clock, host-API and health modules export, and nothing else.
 */
function composeSfsAuth(
  definition: DynamicModule,
  adminApi: boolean | SfsAdminApiExtras | undefined,
): DynamicModule {
  const core = SfsAuthCoreModule.register(definition);
  const on = (module: Type, ...reads: DynamicModule[]): DynamicModule => ({
    module,
    imports: [core, ...reads],
  });
  const serving = on(SfsServingModule);
  const revocation = on(SfsRevocationModule, serving);
  const offboarding = on(SfsOffboardingModule, revocation);
  const hostApi = on(SfsHostApiModule, serving, revocation, offboarding);
  const health = on(SfsHealthModule);
  return {
    module: SfsAuthModule,
    global: definition.global,
    imports: [
      SfsClockModule,
      core,
      serving,
      revocation,
      offboarding,
      hostApi,
      health,
      on(SfsMetricsGaugesModule, health),
      on(SfsRefreshModule, serving),
      on(SfsRetentionModule, serving),
      on(SfsTenantCountsModule),
      on(SfsLoginLogoutModule, hostApi),
      on(SfsHandoffModule, serving, hostApi),
      ...(adminApi
        ? [SfsAdminModule.register(adminApi, [core, serving, revocation, hostApi])]
        : []),
    ],
    exports: [SfsClockModule, hostApi, health],
  };
}
