import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SfsTokenHealthFigures } from '../model/health-figures';
import { sfsWithConnection } from '../persistence/sql-session';
import { sfsHealthFigures } from './health.queries';
import type { SfsHealthStore } from './health.store';

/** {@link SfsHealthStore} on PostgreSQL: one read-only statement (SQL in `health.queries.ts`). */
@Injectable()
export class TypeOrmSfsHealthStore implements SfsHealthStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  figures(now: Date, overdueAfterMs: number): Promise<SfsTokenHealthFigures> {
    return sfsWithConnection(this.dataSource, (sql) => sfsHealthFigures(sql, now, overdueAfterMs));
  }
}
