import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import {
  sfsCountRevocable,
  sfsListEvents,
  sfsListRevocations,
  sfsListTokens,
  sfsTenantSummary,
} from './token-read.queries';
import type { SfsTokenEvent } from '../model/token-record';
import type {
  SfsTokenPage,
  SfsTokenListQuery,
  SfsEventListQuery,
  SfsTenantTokenSummary,
  SfsRevocationListQuery,
  SfsRevocationEntry,
  SfsRevocableFilter,
} from './token-read.types';

/**
 * The admin API's read side (listings, summaries, audit events). Nothing here changes
 * state, and every query is scoped to one tenant.
 */
@Injectable()
export class SfsTokenReadModel extends SfsTypeOrmStore {
  listTokens(query: SfsTokenListQuery): Promise<SfsTokenPage> {
    return this.single((sql) => sfsListTokens(sql, query));
  }

  /** Newest first; the next page continues below the last item's id. */
  listEvents(query: SfsEventListQuery): Promise<SfsTokenEvent[]> {
    return this.single((sql) => sfsListEvents(sql, query));
  }

  tenantSummary(tenantId: string, now: Date): Promise<SfsTenantTokenSummary> {
    return this.single((sql) => sfsTenantSummary(sql, tenantId, now));
  }

  listRevocations(query: SfsRevocationListQuery): Promise<SfsRevocationEntry[]> {
    return this.single((sql) => sfsListRevocations(sql, query));
  }

  /** The tokens a revocation by `filter` would take at `now` (a bulk revoke's dry run). */
  countRevocable(filter: SfsRevocableFilter, now: Date): Promise<number> {
    return this.single((sql) => sfsCountRevocable(sql, filter, now));
  }
}
