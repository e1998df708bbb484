import type { SfsTokenEvent } from '../model/token-record';
import type { SfsSqlSession } from '../persistence/sql-session';
import type {
  SfsEventListQuery,
  SfsRevocableFilter,
  SfsRevocationEntry,
  SfsRevocationListQuery,
  SfsTenantTokenSummary,
  SfsTokenListQuery,
  SfsTokenPage,
  SfsTokenPageAfter,
} from './token-read.types';
import {
  sfsTenantSummaryFromRow,
  sfsTokenEventFromRow,
  type SfsTenantSummaryRow,
  type SfsTokenEventRow,
} from './token-read.mapper';
import { sfsTokenRecordFromRow, type SfsTokenRow } from '../persistence/token-record.mapper';
import { sfsIsUuid } from '../model/identifiers';
import { SFS_REVOCABLE_TOKENS } from '../revocation/revocation.queries';

// Walks ix_sfs_client_token_tenant_created. The position is carried as text in UTC with all six
// fractional digits (`created_at` has microseconds; a JS Date keeps only milliseconds), and in ISO
// 8601 so that casting it back does not depend on the session's DateStyle or TimeZone.
const LIST_TOKENS = `
  SELECT *,
    to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_exact
  FROM sfs_client_token
  WHERE tenant_id = $1
    AND ($2::varchar IS NULL OR status = $2::varchar)
    AND ($3::varchar IS NULL OR client_key = $3::varchar)
    AND ($4::varchar IS NULL OR subject_id = $4::varchar)
    AND ($5::timestamptz IS NULL OR (created_at, id) < ($5::timestamptz, $6::uuid))
  ORDER BY created_at DESC, id DESC
  LIMIT $7`;

// Walks ix_sfs_token_event_tenant, or ix_sfs_token_event_token for one token.
const LIST_EVENTS = `
  SELECT * FROM sfs_token_event
  WHERE tenant_id = $1
    AND ($2::uuid IS NULL OR token_id = $2::uuid)
    AND ($3::bigint IS NULL OR id < $3::bigint)
  ORDER BY id DESC
  LIMIT $4`;

// The tenant's outbox, oldest request first (ix on token_id is unique; tenants' outboxes are small).
const LIST_REVOCATIONS = `
  SELECT r.token_id, t.client_key, t.subject_id, r.status, r.attempts, r.next_attempt_at,
         r.last_error, r.reason, r.actor, r.requested_at
  FROM sfs_token_revocation r JOIN sfs_client_token t ON t.id = r.token_id
  WHERE r.tenant_id = $1 AND ($2::varchar IS NULL OR r.status = $2::varchar)
  ORDER BY r.requested_at, r.token_id
  LIMIT $3`;

// The tenant directory of the operator CLI: every tenant with counted tokens (the counts the triggers
// keep, a few rows per tenant, never the token rows) or an offboarding tombstone.
const TENANT_IDS = `
  SELECT tenant_id FROM sfs_tenant_token_count
  UNION SELECT tenant_id FROM sfs_tenant_token_count_delta
  UNION SELECT tenant_id FROM sfs_tenant_offboarding
  ORDER BY tenant_id`;

// Tenants with outbox rows (of one status, or any): walks ix_sfs_token_revocation_tenant_status.
const REVOCATION_TENANT_IDS = `
  SELECT DISTINCT tenant_id FROM sfs_token_revocation
  WHERE ($1::varchar IS NULL OR status = $1::varchar)
  ORDER BY tenant_id`;

const COUNT_REVOCABLE = `SELECT count(*)::int AS n ${SFS_REVOCABLE_TOKENS}`;

// One statement, so every figure comes from the same snapshot. It reads the counts the triggers
// keep (migrations/1764800000000-AddSfsAuthTenantTokenCounts.ts), and only the first and the overdue
// entries of the tenant's ix_sfs_client_token_tenant_refresh: a few rows whatever the tenant's size.
const TENANT_SUMMARY = `
  SELECT
    (SELECT COALESCE(jsonb_object_agg(s.status, s.n), '{}'::jsonb)
     FROM (SELECT status, sum(n)::int AS n
           FROM (SELECT status, n FROM sfs_tenant_token_count WHERE tenant_id = $1
                 UNION ALL
                 SELECT status, n FROM sfs_tenant_token_count_delta WHERE tenant_id = $1) c
           GROUP BY status) s) AS counts,
    (SELECT min(refresh_at) FROM sfs_client_token
     WHERE tenant_id = $1 AND status = 'active') AS next_refresh_at,
    (SELECT count(*)::int FROM sfs_client_token
     WHERE tenant_id = $1 AND status = 'active' AND refresh_at < $2) AS overdue_refreshes,
    r.pending_revocations, r.failed_revocations, r.oldest_pending_revocation_at,
    k.data_key_version, k.data_key_created_at
  FROM (SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending_revocations,
               count(*) FILTER (WHERE status = 'failed')::int AS failed_revocations,
               min(requested_at) FILTER (WHERE status = 'pending') AS oldest_pending_revocation_at
        FROM sfs_token_revocation WHERE tenant_id = $1) r
  LEFT JOIN (SELECT version AS data_key_version, created_at AS data_key_created_at
             FROM sfs_tenant_key WHERE tenant_id = $1) k ON true`;

const BIGINT_MAX = 9223372036854775807n;

/** Event ids arrive from cursors: a malformed one would fail the cast, so it matches nothing. */
function isEventId(value: string): boolean {
  return /^\d{1,19}$/.test(value) && BigInt(value) <= BIGINT_MAX;
}

function isPageSize(limit: number): boolean {
  return Number.isInteger(limit) && limit > 0;
}

const EXACT_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,6})?Z$/;

/** A cursor position must be a real instant in the format above, or the cast would fail. */
function isPosition(after: SfsTokenPageAfter): boolean {
  const match = EXACT_TIME.exec(after.createdAt);
  if (!match || !sfsIsUuid(after.id)) return false;
  const time = new Date(`${match[1]}Z`);
  // Round trip: rejects calendar overflow such as February 30, which Date would roll over.
  // PostgreSQL has no year 0, so that is rejected too.
  return time.getUTCFullYear() >= 1 && time.toISOString().startsWith(match[1]);
}

/** See {@link SfsTokenReadModel.listTokens}: reads one row further to know if a page follows. */
export async function sfsListTokens(
  sql: SfsSqlSession,
  query: SfsTokenListQuery,
): Promise<SfsTokenPage> {
  const after = query.after;
  if (!isPageSize(query.limit) || (after && !isPosition(after))) return { items: [], next: null };
  const rows = await sql.rows<SfsTokenRow & { created_at_exact: string }>(LIST_TOKENS, [
    query.tenantId,
    query.status ?? null,
    query.clientKey ?? null,
    query.subjectId ?? null,
    after?.createdAt ?? null,
    after?.id ?? null,
    query.limit + 1,
  ]);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(sfsTokenRecordFromRow),
    next: rows.length > query.limit ? { createdAt: last.created_at_exact, id: last.id } : null,
  };
}

/** See {@link SfsTokenReadModel.listEvents}. */
export async function sfsListEvents(
  sql: SfsSqlSession,
  query: SfsEventListQuery,
): Promise<SfsTokenEvent[]> {
  if (!isPageSize(query.limit)) return [];
  if (query.tokenId !== undefined && !sfsIsUuid(query.tokenId)) return [];
  if (query.afterId !== undefined && !isEventId(query.afterId)) return [];
  const rows = await sql.rows<SfsTokenEventRow>(LIST_EVENTS, [
    query.tenantId,
    query.tokenId ?? null,
    query.afterId ?? null,
    query.limit,
  ]);
  return rows.map(sfsTokenEventFromRow);
}

/** See {@link SfsTokenReadModel.listRevocations}. */
export async function sfsListRevocations(
  sql: SfsSqlSession,
  query: SfsRevocationListQuery,
): Promise<SfsRevocationEntry[]> {
  if (!isPageSize(query.limit)) return [];
  const rows = await sql.rows<SfsRevocationEntryRow>(LIST_REVOCATIONS, [
    query.tenantId,
    query.status ?? null,
    query.limit,
  ]);
  return rows.map((row) => ({
    tokenId: row.token_id,
    clientKey: row.client_key,
    subjectId: row.subject_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    reason: row.reason,
    actor: row.actor,
    requestedAt: row.requested_at,
  }));
}

/** See {@link SfsTokenReadModel.tenantIds}. */
export async function sfsTenantIds(sql: SfsSqlSession): Promise<string[]> {
  const rows = await sql.rows<{ tenant_id: string }>(TENANT_IDS);
  return rows.map((r) => r.tenant_id);
}

/** See {@link SfsTokenReadModel.revocationTenantIds}. */
export async function sfsRevocationTenantIds(
  sql: SfsSqlSession,
  status?: SfsRevocationListQuery['status'],
): Promise<string[]> {
  const rows = await sql.rows<{ tenant_id: string }>(REVOCATION_TENANT_IDS, [status ?? null]);
  return rows.map((r) => r.tenant_id);
}

/** See {@link SfsTokenReadModel.countRevocable}. */
export async function sfsCountRevocable(
  sql: SfsSqlSession,
  filter: SfsRevocableFilter,
  now: Date,
): Promise<number> {
  const [row] = await sql.rows<{ n: number }>(COUNT_REVOCABLE, [
    filter.tenantId,
    null,
    filter.clientKey ?? null,
    filter.subjectId ?? null,
    now,
  ]);
  return row.n;
}

interface SfsRevocationEntryRow {
  token_id: string;
  client_key: string;
  subject_id: string | null;
  status: 'pending' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  reason: string | null;
  actor: string;
  requested_at: Date;
}

/** See {@link SfsTokenReadModel.tenantSummary}. */
export async function sfsTenantSummary(
  sql: SfsSqlSession,
  tenantId: string,
  now: Date,
): Promise<SfsTenantTokenSummary> {
  const [row] = await sql.rows<SfsTenantSummaryRow>(TENANT_SUMMARY, [tenantId, now]);
  return sfsTenantSummaryFromRow(row);
}
