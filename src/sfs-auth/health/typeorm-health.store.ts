import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import type { SfsTokenHealthFigures } from '../model/health-figures';
import { sfsHealthFigures } from './health.queries';
import type { SfsHealthStore } from './health.store';

/** {@link SfsHealthStore} on PostgreSQL: one read-only statement (SQL in `health.queries.ts`). */
@Injectable()
export class TypeOrmSfsHealthStore extends SfsTypeOrmStore implements SfsHealthStore {
  figures(now: Date, overdueAfterMs: number): Promise<SfsTokenHealthFigures> {
    return this.single((sql) => sfsHealthFigures(sql, now, overdueAfterMs));
  }
}
