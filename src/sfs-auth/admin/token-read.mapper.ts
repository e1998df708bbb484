import type { SfsTokenEvent, SfsTokenEventType, SfsTokenStatus } from '../model/token-record';
import type { SfsTenantTokenSummary } from './token-read.types';

/** A `sfs_token_event` row as node-postgres returns it (bigserial `id` as a string). */
export interface SfsTokenEventRow {
  id: string;
  tenant_id: string;
  token_id: string | null;
  type: SfsTokenEventType;
  actor: string;
  reason: string | null;
  detail: Record<string, string | number | boolean | null> | null;
  at: Date;
}

/** The one row of the tenant summary statement. */
export interface SfsTenantSummaryRow {
  counts: Partial<Record<SfsTokenStatus, number>>;
  next_refresh_at: Date | null;
  overdue_refreshes: number;
  pending_revocations: number;
  failed_revocations: number;
  oldest_pending_revocation_at: Date | null;
  data_key_version: number | null;
  data_key_created_at: Date | null;
}

// Typed as a full Record, so adding a status to SfsTokenStatus fails compilation here.
const NO_TOKENS: Readonly<Record<SfsTokenStatus, number>> = {
  active: 0,
  revoking: 0,
  revoked: 0,
  expired: 0,
  failed: 0,
};

/** Row → audit event; a null `detail` is left out, as on the events appended. */
export function sfsTokenEventFromRow(row: SfsTokenEventRow): SfsTokenEvent {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    tokenId: row.token_id,
    type: row.type,
    actor: row.actor,
    reason: row.reason,
    ...(row.detail === null ? {} : { detail: row.detail }),
    at: row.at,
  };
}

/** Summary row → summary; statuses without rows count 0. */
export function sfsTenantSummaryFromRow(row: SfsTenantSummaryRow): SfsTenantTokenSummary {
  return {
    counts: { ...NO_TOKENS, ...row.counts },
    nextRefreshAt: row.next_refresh_at,
    overdueRefreshes: row.overdue_refreshes,
    pendingRevocations: row.pending_revocations,
    failedRevocations: row.failed_revocations,
    oldestPendingRevocationAt: row.oldest_pending_revocation_at,
    dataKey:
      row.data_key_version === null || row.data_key_created_at === null
        ? null
        : { version: row.data_key_version, createdAt: row.data_key_created_at },
  };
}
