import type { DynamicModule, Provider } from '@nestjs/common';
import { SfsKeyRing } from '../crypto/key-ring';
import { sfsAssertAdminAuthorizer } from '../options/config-assertions';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SfsAdminAuthorizer } from '../options/admin-authorizer';
import { SfsAdminAuthThrottle } from './admin-auth.throttle';
import { SfsAdminEdgeInstaller } from './admin-edge.installer';
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
  SfsAdminEdgeInstaller,
  SfsAdminCursorCodec,
  SfsAdminEventIds,
  SfsAdminGuard,
  SfsTokenAdminService,
];

/** Adds the admin API (controller and its providers) to the module when `enabled`. */
export function withSfsAdminApi(
  definition: DynamicModule,
  adminApi: boolean | SfsAdminApiExtras | undefined,
): DynamicModule {
  if (!adminApi) return definition;
  const consoleExtra = typeof adminApi === 'object' && adminApi.console === true;
  return {
    ...definition,
    controllers: [
      ...(definition.controllers ?? []),
      SfsAdminTokensController,
      SfsAdminConsoleController,
    ],
    providers: [
      ...(definition.providers ?? []),
      ...SFS_ADMIN_PROVIDERS,
      { provide: SFS_ADMIN_CONSOLE_EXTRA, useValue: consoleExtra },
    ],
  };
}
