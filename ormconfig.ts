import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { SFS_AUTH_MIGRATIONS } from './migrations';
import { SFS_AUTH_ENTITIES } from './src/sfs-auth/persistence/entities';

/**
 * The TypeORM CLI data source (`npm run migration:run|revert|generate`). Only the CLI reads
 * `DATABASE_URL` here; the library itself never touches the environment. `installExtensions: false`
 * because the schema needs none (`gen_random_uuid()` is built into PostgreSQL 13+).
 */
export default new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  entities: SFS_AUTH_ENTITIES,
  migrations: SFS_AUTH_MIGRATIONS,
  synchronize: false,
  installExtensions: false,
});
