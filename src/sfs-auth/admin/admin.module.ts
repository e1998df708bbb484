import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { SfsKeyRing } from '../crypto/key-ring';
import { sfsAssertAdminAuthorizer } from '../options/config-assertions';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SfsAdminAuthorizer } from '../options/admin-authorizer';
import { SfsAdminAuthThrottle } from './admin-auth.throttle';
import { SfsAdminRequestLimits } from './admin-request-limits';
import { SfsAdminEventIds } from './admin-event-ids';
import { SfsAdminCursorCodec } from './admin-cursor.codec';
import { SfsAdminGuard } from './admin.guard';
import { SfsAdminTokensController } from './admin-tokens.controller';
import { SfsStaticKeyAdminAuthorizer, sfsAdminKeyLabelSecret } from './static-key.authorizer';
import { SfsTokenAdminService } from './token-admin.service';
import { SFS_ADMIN_CONSOLE_EXTRA, SfsAdminConsoleController } from './console/console.controller';
import type { SfsAdminApiExtras } from '../sfs-auth.module-definition';

/** The host's authorizer, else the static-key one; neither configured → the app refuses to boot. */
export function sfsAdminAuthorizerFactory(
  options: Pick<SfsAuthResolvedOptions, 'admin'>,
  ring?: SfsKeyRing,
): SfsAdminAuthorizer {
  sfsAssertAdminAuthorizer(options.admin);
  return (
    options.admin.authorizer ??
    new SfsStaticKeyAdminAuthorizer(options.admin.keys, {
      labelSecret: ring ? sfsAdminKeyLabelSecret(ring) : undefined,
    })
  );
}

const SFS_ADMIN_PROVIDERS: Provider[] = [
  {
    provide: SfsAdminAuthorizer,
    inject: [SFS_AUTH_RESOLVED_OPTIONS, SfsKeyRing],
    useFactory: sfsAdminAuthorizerFactory,
  },
  SfsAdminAuthThrottle,
  SfsAdminRequestLimits,
  SfsAdminCursorCodec,
  SfsAdminEventIds,
  SfsAdminGuard,
  SfsTokenAdminService,
];

/**
 * The tenant admin API (`adminApi`): its controllers (the console's when asked), guard, edge
 * limits, throttle and service. Registered by `SfsAuthModule` with the modules it reads from.
 *
 * @internal
 */
@Module({
  controllers: [SfsAdminTokensController, SfsAdminConsoleController],
  providers: SFS_ADMIN_PROVIDERS,
})
export class SfsAdminModule {
  /** The admin API for `adminApi` (truthy), reading through `imports`. */
  static register(
    adminApi: true | SfsAdminApiExtras,
    imports: DynamicModule['imports'],
  ): DynamicModule {
    const consoleExtra = typeof adminApi === 'object' && adminApi.console === true;
    return {
      module: SfsAdminModule,
      imports,
      providers: [{ provide: SFS_ADMIN_CONSOLE_EXTRA, useValue: consoleExtra }],
    };
  }
}
