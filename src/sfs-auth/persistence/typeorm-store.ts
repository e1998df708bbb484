import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sfsInTransaction, sfsWithConnection, type SfsSqlSession } from './sql-session';

/**
 * Base of the module's TypeORM store adapters, on the host's `DataSource`: `single` runs statements
 * on a pooled connection outside any transaction, `tx` runs them in one guarded transaction
 * (`sql-session.ts`). Neither ever waits on SFS.
 */
export abstract class SfsTypeOrmStore {
  constructor(@InjectDataSource() protected readonly dataSource: DataSource) {}

  protected single<T>(fn: (sql: SfsSqlSession) => Promise<T>): Promise<T> {
    return sfsWithConnection(this.dataSource, fn);
  }

  protected tx<T>(fn: (sql: SfsSqlSession) => Promise<T>): Promise<T> {
    return sfsInTransaction(this.dataSource, fn);
  }
}
