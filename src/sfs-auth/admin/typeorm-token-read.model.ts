import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import type { SfsTokenEvent } from '../model/token-record';
import {
  sfsCountRevocable,
  sfsListEvents,
  sfsListRevocations,
  sfsListTokens,
  sfsTenantSummary,
} from './token-read.queries';
import type {
  SfsEventListQuery,
  SfsRevocableFilter,
  SfsRevocationEntry,
  SfsRevocationListQuery,
  SfsTenantTokenSummary,
  SfsTokenListQuery,
  SfsTokenPage,
  SfsTokenReadModel,
} from './token-read.model';

/**
 * {@link SfsTokenReadModel} on PostgreSQL through the host's TypeORM `DataSource`. Every method is
 * a single read-only statement (SQL in `token-read.queries.ts`), so each answer is one snapshot.
 * Malformed ids and cursors match nothing instead of failing the query.
 */
@Injectable()
export class TypeOrmSfsTokenReadModel extends SfsTypeOrmStore implements SfsTokenReadModel {
  listTokens(query: SfsTokenListQuery): Promise<SfsTokenPage> {
    return this.single((sql) => sfsListTokens(sql, query));
  }

  listEvents(query: SfsEventListQuery): Promise<SfsTokenEvent[]> {
    return this.single((sql) => sfsListEvents(sql, query));
  }

  tenantSummary(tenantId: string, now: Date): Promise<SfsTenantTokenSummary> {
    return this.single((sql) => sfsTenantSummary(sql, tenantId, now));
  }

  listRevocations(query: SfsRevocationListQuery): Promise<SfsRevocationEntry[]> {
    return this.single((sql) => sfsListRevocations(sql, query));
  }

  countRevocable(filter: SfsRevocableFilter, now: Date): Promise<number> {
    return this.single((sql) => sfsCountRevocable(sql, filter, now));
  }
}
