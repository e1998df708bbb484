import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import {
  sfsCountRevocable,
  sfsListEvents,
  sfsListRevocations,
  sfsListTokens,
  sfsRevocationTenantIds,
  sfsTenantIds,
  sfsTenantSummary,
} from './token-read.queries';
import type { SfsTokenEvent, SfsTokenRecord } from '../model/token-record';
import { sfsFindById } from '../serving/serving.queries';
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
 * state, and every query is scoped to one tenant, except the two tenant directories the operator
 * CLI reads ({@link tenantIds}, {@link revocationTenantIds}): ids only, never a tenant's rows.
 *
 * @internal
 */
@Injectable()
export class SfsTokenReadModel extends SfsTypeOrmStore {
  /** One token record of the tenant, whatever its status, or `null`. */
  findToken(tenantId: string, tokenId: string): Promise<SfsTokenRecord | null> {
    return this.single((sql) => sfsFindById(sql, tenantId, tokenId));
  }

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

  /** Every tenant with counted tokens or an offboarding tombstone, by id. */
  tenantIds(): Promise<string[]> {
    return this.single((sql) => sfsTenantIds(sql));
  }

  /** Tenants with revocation outbox rows (`pending`, `failed`, or either), by id. */
  revocationTenantIds(status?: SfsRevocationListQuery['status']): Promise<string[]> {
    return this.single((sql) => sfsRevocationTenantIds(sql, status));
  }

  /** The tokens a revocation by `filter` would take at `now` (a bulk revoke's dry run). */
  countRevocable(filter: SfsRevocableFilter, now: Date): Promise<number> {
    return this.single((sql) => sfsCountRevocable(sql, filter, now));
  }
}
