import type { SfsOffboardingFailure, SfsOffboardingStatus } from '../events/sfs-auth-events';
import { sfsAppendEvents, sfsNotifyChanged } from '../persistence/event.queries';
import { sfsRequestRevocation } from '../revocation/revocation.queries';
import type { SfsSqlSession } from '../persistence/sql-session';
import { sfsClip } from '../persistence/token-record.mapper';

/** One row of `sfs_tenant_offboarding`. */
export interface SfsOffboardingRecord {
  readonly tenantId: string;
  readonly status: SfsOffboardingStatus;
  readonly reason: string;
  readonly actor: string;
  readonly requestedAt: Date;
  /** Last time live tokens were queued for revocation. */
  readonly lastChangeAt: Date;
  readonly completedAt: Date | null;
  readonly tokensToRevoke: number;
  /** Set when the purge begins. */
  readonly tokensRevoked: number;
  /** Set when the purge begins. */
  readonly revocationsFailed: number;
  readonly tokensPurged: number;
  readonly eventsPurged: number;
  readonly failures: ReadonlyArray<SfsOffboardingFailure>;
}

/** The tenant's outbox rows: waiting for SFS, and given up. */
export interface SfsOffboardingRevocations {
  readonly pending: number;
  readonly failed: number;
}

/** What {@link SfsTenantOffboardingStore.requestRevocations} did. */
export interface SfsOffboardingRequest {
  readonly record: SfsOffboardingRecord;
  /** Whether this call wrote the tombstone (the offboarding started now). */
  readonly created: boolean;
  /** Token ids queued for revocation by this call. */
  readonly queued: string[];
}

/** What one purge batch did. */
export type SfsPurgeBatch =
  /** Another instance holds the tombstone, or the purge has not begun. */
  | { readonly kind: 'busy' }
  /** A live token or a pending revocation showed up: back to `revoking`. */
  | { readonly kind: 'relapsed' }
  | { readonly kind: 'purged'; readonly tokens: number; readonly events: number };

/** Revocations given up that a tombstone names (the count is kept whole). */
const MAX_NAMED_FAILURES = 100;

interface OffboardingRow {
  tenant_id: string;
  status: SfsOffboardingRecord['status'];
  reason: string;
  actor: string;
  requested_at: Date;
  last_change_at: Date;
  completed_at: Date | null;
  tokens_to_revoke: number;
  tokens_revoked: number;
  revocations_failed: number;
  tokens_purged: number;
  events_purged: number;
  failures: SfsOffboardingFailure[];
}

const FIND = `SELECT * FROM sfs_tenant_offboarding WHERE tenant_id = $1`;
const LOCK = `SELECT * FROM sfs_tenant_offboarding WHERE tenant_id = $1 FOR UPDATE`;
const LOCK_OR_SKIP = `SELECT * FROM sfs_tenant_offboarding WHERE tenant_id = $1 FOR UPDATE SKIP LOCKED`;

const INSERT = `
  INSERT INTO sfs_tenant_offboarding (tenant_id, status, reason, actor, requested_at, last_change_at)
  VALUES ($1, 'revoking', $2, $3, $4, $4)
  ON CONFLICT (tenant_id) DO NOTHING
  RETURNING tenant_id`;

// Tokens queued again after the purge began (a mint that was in flight) send it back to revoking.
const QUEUED = `
  UPDATE sfs_tenant_offboarding
  SET tokens_to_revoke = tokens_to_revoke + $2, last_change_at = $3, status = 'revoking',
      updated_at = now()
  WHERE tenant_id = $1`;

// A token whose refresh failed for good keeps its material and may be live at SFS until it
// expires: an ordinary revocation leaves it alone, an offboarding revokes it too.
const FAILED_BUT_LIVE = `
  WITH t AS (
    UPDATE sfs_client_token
    SET status = 'revoking', revoke_reason = $3, lease_owner = NULL, lease_expires_at = NULL,
        version = version + 1, updated_at = now()
    WHERE tenant_id = $1 AND status = 'failed' AND token_ciphertext IS NOT NULL AND expires_at > $2
    RETURNING id
  )
  INSERT INTO sfs_token_revocation (token_id, tenant_id, next_attempt_at, reason, actor, requested_at)
  SELECT id, $1, $2, $3, $4, $2 FROM t
  ON CONFLICT (token_id) DO NOTHING
  RETURNING token_id::text AS token_id`;

const REVOCATIONS = `
  SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
         count(*) FILTER (WHERE status = 'failed')::int AS failed
  FROM sfs_token_revocation WHERE tenant_id = $1`;

const ANY_ACTIVE = `
  SELECT EXISTS (SELECT 1 FROM sfs_client_token WHERE tenant_id = $1 AND status = 'active')
      OR EXISTS (SELECT 1 FROM sfs_token_revocation WHERE tenant_id = $1 AND status = 'pending')
    AS live`;

const GIVEN_UP = `
  SELECT token_id::text AS token_id, COALESCE(last_error, 'given up') AS error
  FROM sfs_token_revocation WHERE tenant_id = $1 AND status = 'failed'
  ORDER BY token_id LIMIT ${MAX_NAMED_FAILURES}`;

const BEGIN_PURGE = `
  UPDATE sfs_tenant_offboarding
  SET status = 'purging', revocations_failed = $2, tokens_revoked = GREATEST(tokens_to_revoke - $2, 0),
      failures = $3::jsonb, updated_at = now()
  WHERE tenant_id = $1`;

const RELAPSE = `
  UPDATE sfs_tenant_offboarding SET status = 'revoking', last_change_at = $2, updated_at = now()
  WHERE tenant_id = $1`;

const DELETE_EVENTS = `
  DELETE FROM sfs_token_event
  WHERE id = ANY (ARRAY(SELECT id FROM sfs_token_event WHERE tenant_id = $1 LIMIT $2))`;

// Outbox rows go with their token (ON DELETE CASCADE).
const DELETE_TOKENS = `
  DELETE FROM sfs_client_token
  WHERE id = ANY (ARRAY(SELECT id FROM sfs_client_token WHERE tenant_id = $1 LIMIT $2))`;

const PURGED = `
  UPDATE sfs_tenant_offboarding
  SET tokens_purged = tokens_purged + $2, events_purged = events_purged + $3, updated_at = now()
  WHERE tenant_id = $1`;

const ANY_LEFT = `
  SELECT EXISTS (SELECT 1 FROM sfs_client_token WHERE tenant_id = $1)
      OR EXISTS (SELECT 1 FROM sfs_token_event WHERE tenant_id = $1) AS left`;

// The count deltas before the counts: deleting a delta a fold holds waits for that fold to commit,
// so the counts it wrote are gone too (src/sfs-auth/tenant-counts/tenant-counts.store.ts).
const DESTROY = [
  `DELETE FROM sfs_token_key_lease WHERE tenant_id = $1`,
  `DELETE FROM sfs_token_change WHERE tenant_id = $1`,
  `DELETE FROM sfs_tenant_token_count_delta WHERE tenant_id = $1`,
  `DELETE FROM sfs_tenant_token_count WHERE tenant_id = $1`,
  `DELETE FROM sfs_tenant_key WHERE tenant_id = $1`,
];

const DONE = `
  UPDATE sfs_tenant_offboarding SET status = 'offboarded', completed_at = $2, updated_at = now()
  WHERE tenant_id = $1`;

const UNFINISHED = `
  SELECT tenant_id FROM sfs_tenant_offboarding WHERE status <> 'offboarded'
  ORDER BY requested_at LIMIT $1`;

function fromRow(row: OffboardingRow): SfsOffboardingRecord {
  return {
    tenantId: row.tenant_id,
    status: row.status,
    reason: row.reason,
    actor: row.actor,
    requestedAt: row.requested_at,
    lastChangeAt: row.last_change_at,
    completedAt: row.completed_at,
    tokensToRevoke: row.tokens_to_revoke,
    tokensRevoked: row.tokens_revoked,
    revocationsFailed: row.revocations_failed,
    tokensPurged: row.tokens_purged,
    eventsPurged: row.events_purged,
    failures: row.failures,
  };
}

async function one(
  sql: SfsSqlSession,
  text: string,
  tenantId: string,
): Promise<SfsOffboardingRecord | null> {
  const [row] = await sql.rows<OffboardingRow>(text, [tenantId]);
  return row ? fromRow(row) : null;
}

/** See {@link SfsTenantOffboardingStore.find}. */
export function sfsFindOffboarding(
  sql: SfsSqlSession,
  tenantId: string,
): Promise<SfsOffboardingRecord | null> {
  return one(sql, FIND, tenantId);
}

/** See {@link SfsTenantOffboardingStore.requestRevocations}: call it inside a transaction. */
export async function sfsRequestOffboardingRevocations(
  sql: SfsSqlSession,
  tenantId: string,
  reason: string,
  actor: string,
  now: Date,
): Promise<SfsOffboardingRequest> {
  const inserted = await sql.rows(INSERT, [
    tenantId,
    sfsClip(reason, 200),
    sfsClip(actor, 160),
    now,
  ]);
  const created = inserted.length > 0;
  const record = (await one(sql, LOCK, tenantId)) as SfsOffboardingRecord;
  if (record.status === 'offboarded') return { record, created, queued: [] };
  const why = sfsClip(`tenant offboarded: ${record.reason}`, 200) as string;
  const queued = await sfsRequestRevocation(sql, { tenantId }, why, record.actor, now);
  const failed = await sql.rows<{ token_id: string }>(FAILED_BUT_LIVE, [
    tenantId,
    now,
    why,
    sfsClip(record.actor, 160),
  ]);
  if (failed.length > 0) {
    const ids = failed.map((r) => r.token_id);
    const at = { tenantId, actor: record.actor, reason: why, at: now };
    await sfsAppendEvents(
      sql,
      ids.map((tokenId) => ({ ...at, tokenId, type: 'revoke_requested' as const })),
    );
    await sfsNotifyChanged(
      sql,
      ids.map((tokenId) => ({ tenantId, tokenId })),
    );
    queued.push(...ids);
  }
  if (queued.length === 0) return { record, created, queued };
  await sql.run(QUEUED, [tenantId, queued.length, now]);
  return { record: (await one(sql, FIND, tenantId)) as SfsOffboardingRecord, created, queued };
}

/** See {@link SfsTenantOffboardingStore.revocations}. */
export async function sfsOffboardingRevocations(
  sql: SfsSqlSession,
  tenantId: string,
): Promise<SfsOffboardingRevocations> {
  const [row] = await sql.rows<SfsOffboardingRevocations>(REVOCATIONS, [tenantId]);
  return row;
}

/** See {@link SfsTenantOffboardingStore.beginPurge}: call it inside a transaction. */
export async function sfsBeginOffboardingPurge(
  sql: SfsSqlSession,
  tenantId: string,
  settledBefore: Date,
): Promise<boolean> {
  const record = await one(sql, LOCK, tenantId);
  if (!record || record.status === 'offboarded') return false;
  if (record.status === 'purging') return true;
  if (record.lastChangeAt > settledBefore) return false;
  const [{ live }] = await sql.rows<{ live: boolean }>(ANY_ACTIVE, [tenantId]);
  if (live) return false;
  const { failed } = await sfsOffboardingRevocations(sql, tenantId);
  const givenUp = await sql.rows<{ token_id: string; error: string }>(GIVEN_UP, [tenantId]);
  const failures = givenUp.map((r) => ({ tokenId: r.token_id, error: r.error }));
  await sql.run(BEGIN_PURGE, [tenantId, failed, JSON.stringify(failures)]);
  return true;
}

/** See {@link SfsTenantOffboardingStore.purgeBatch}: call it inside a transaction. */
export async function sfsPurgeOffboardingBatch(
  sql: SfsSqlSession,
  tenantId: string,
  limit: number,
  now: Date,
): Promise<SfsPurgeBatch> {
  const record = await one(sql, LOCK_OR_SKIP, tenantId);
  if (record?.status !== 'purging') return { kind: 'busy' };
  const [{ live }] = await sql.rows<{ live: boolean }>(ANY_ACTIVE, [tenantId]);
  if (live) {
    await sql.run(RELAPSE, [tenantId, now]);
    return { kind: 'relapsed' };
  }
  const events = (await sql.run(DELETE_EVENTS, [tenantId, limit])).affected;
  const tokens = (await sql.run(DELETE_TOKENS, [tenantId, limit])).affected;
  await sql.run(PURGED, [tenantId, tokens, events]);
  return { kind: 'purged', tokens, events };
}

/** See {@link SfsTenantOffboardingStore.complete}: call it inside a transaction. */
export async function sfsCompleteOffboarding(
  sql: SfsSqlSession,
  tenantId: string,
  now: Date,
): Promise<boolean> {
  const record = await one(sql, LOCK, tenantId);
  if (record?.status !== 'purging') return false;
  const [{ left }] = await sql.rows<{ left: boolean }>(ANY_LEFT, [tenantId]);
  if (left) return false;
  for (const statement of DESTROY) await sql.run(statement, [tenantId]);
  await sql.run(DONE, [tenantId, now]);
  return true;
}

/** See {@link SfsTenantOffboardingStore.listUnfinished}. */
export async function sfsListUnfinishedOffboardings(
  sql: SfsSqlSession,
  limit: number,
): Promise<string[]> {
  const rows = await sql.rows<{ tenant_id: string }>(UNFINISHED, [limit]);
  return rows.map((r) => r.tenant_id);
}
