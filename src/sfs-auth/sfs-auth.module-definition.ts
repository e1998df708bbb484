import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SfsAuthModuleOptions } from './options/sfs-auth-options.interface';

/** Extras accepted next to the options by `forRoot`/`forRootAsync`. */
export interface SfsAuthModuleExtras {
  /** Register the module globally. @default false */
  isGlobal?: boolean;
  /**
   * Mount the tenant admin REST API (`/sfs/admin/tenants/:tenantId/...`). Needs `admin.authorizer`
   * or `admin.keys`, else the app refuses to boot. @default false
   */
  adminApi?: boolean;
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
