import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SfsAuthModuleOptions } from './options/sfs-auth-options.interface';

/**
 * Extras accepted next to the options by `forRoot`/`forRootAsync`.
 *
 * @group Module
 * @publicApi
 */
export interface SfsAuthModuleExtras {
  /** Register the module globally. @default false */
  isGlobal?: boolean;
  /**
   * Mount the tenant admin REST API (`/sfs/admin/tenants/:tenantId/...`); `{ console: true }`
   * serves the admin console at `/sfs/admin/console` too (as the option `admin.console`). Needs
   * `admin.authorizer` or `admin.keys`, else the app refuses to boot. @default false
   */
  adminApi?: boolean | SfsAdminApiExtras;
}

/**
 * The admin API extra in its object form.
 *
 * @inline
 */
export interface SfsAdminApiExtras {
  /** Serve the admin console at `<prefix>/sfs/admin/console`. @default false */
  console?: boolean;
}

export const {
  ConfigurableModuleClass: SfsAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: SFS_AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE: SFS_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SFS_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SfsAuthModuleOptions>({ moduleName: 'SfsAuth' })
  .setClassMethodName('forRoot')
  .setExtras<SfsAuthModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
