import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { SFS_AUTH_ENTITIES, SFS_AUTH_MIGRATIONS } from '../../src';

/**
 * TypeORM as a host configures it for the module (the tests' and the benchmarks' host apps):
 * the module's entities, schema from its migrations (never `synchronize`), no uuid-ossp extension.
 */
export function hostTypeOrmOptions(
  url: string,
  extra: { poolSize?: number; retryAttempts?: number } = {},
): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url,
    entities: [...SFS_AUTH_ENTITIES],
    migrations: [...SFS_AUTH_MIGRATIONS],
    migrationsRun: true,
    installExtensions: false,
    ...(extra.retryAttempts === undefined ? {} : { retryAttempts: extra.retryAttempts }),
    extra: { max: extra.poolSize ?? 10 },
  };
}
