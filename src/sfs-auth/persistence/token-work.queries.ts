import type { SfsNewTokenEvent, SfsSealedToken, SfsTokenRecord } from '../tokens/token-record';
import type { SfsAttemptFailure } from './token.store';
import { sfsAppendEvents, sfsNotifyChanged } from './event.queries';
import type { SfsSqlSession } from './sql-session';
import { SFS_RELEASE_AND_BUMP } from './token.queries';
import { sfsClip, sfsTokenRecordFromRow, type SfsTokenRow } from './token-record.mapper';
import { sfsIsUuid } from '../tokens/identifiers';

const CLAIM_DUE = `
  WITH due AS (
    SELECT id FROM sfs_client_token
    WHERE status = 'active' AND refresh_at <= $2
      AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
      AND (lease_expires_at IS NULL OR lease_expires_at <= $2)
    ORDER BY refresh_at, id
    LIMIT $4
    FOR UPDATE SKIP LOCKED
  )
  UPDATE sfs_client_token AS t
  SET lease_owner = $1, lease_expires_at = $3, version = t.version + 1, updated_at = now()
  FROM due WHERE t.id = due.id
  RETURNING t.*`;

const RECORD_FAILURE = `
  UPDATE sfs_client_token
  SET attempts = attempts + 1, last_error = $3,
      next_attempt_at = CASE WHEN $5::boolean THEN NULL ELSE $4::timestamptz END,
      status = CASE WHEN $5::boolean THEN 'failed' ELSE status END, ${SFS_RELEASE_AND_BUMP}
  WHERE id = $1 AND version = $2 AND status = 'active'
  RETURNING id, tenant_id`;

const POSTPONE = `
  UPDATE sfs_client_token SET refresh_at = $3, ${SFS_RELEASE_AND_BUMP}
  WHERE id = $1 AND version = $2 AND status = 'active'
  RETURNING id, tenant_id`;

const MARK_EXPIRED = `
  UPDATE sfs_client_token
  SET status = 'expired', token_ciphertext = NULL, token_key_id = NULL, ${SFS_RELEASE_AND_BUMP}
  WHERE id = $1 AND version = $2 AND status = 'active'
  RETURNING id, tenant_id`;

// Material is only re-encoded, the token's state does not change: the version is checked but not
// bumped, so a refresh or revocation holding this row's version is not invalidated by a rotation.
const RESEAL = `
  UPDATE sfs_client_token SET token_ciphertext = $3, token_key_id = $4, updated_at = now()
  WHERE id = $1 AND version = $2 AND token_ciphertext IS NOT NULL
  RETURNING id, tenant_id`;

// Only once per row: a later re-encryption pass that meets it again counts it as skipped.
const MARK_UNDECRYPTABLE = `
  UPDATE sfs_client_token SET status = 'failed', last_error = $3, ${SFS_RELEASE_AND_BUMP}
  WHERE id = $1 AND version = $2 AND token_ciphertext IS NOT NULL AND status <> 'failed'
  RETURNING id, tenant_id`;

// Never bumps the version: usage stamps must not make a worker's compare-and-set fail.
const TOUCH = `
  UPDATE sfs_client_token AS t SET last_used_at = u.at
  FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at)
  WHERE t.id = u.id AND (t.last_used_at IS NULL OR t.last_used_at < u.at)`;

// The predicate of the partial index ix_sfs_client_token_ring_sealed: once every row moved to a
// data key, this reads an empty index.
const RING_SEALED = `
  SELECT * FROM sfs_client_token
  WHERE token_key_id NOT LIKE 'dek:%' AND ($1::uuid IS NULL OR id > $1::uuid)
  ORDER BY id
  LIMIT $2`;

type Changed = { id: string; tenant_id: string };

/** Runs one compare-and-set; on success appends the event and, if asked, notifies. */
async function compareAndSet(
  sql: SfsSqlSession,
  text: string,
  params: unknown[],
  event: SfsNewTokenEvent | null,
  notify: boolean,
): Promise<boolean> {
  const { rows } = await sql.run<Changed>(text, params);
  if (rows.length === 0) return false;
  if (event) await sfsAppendEvents(sql, [event]);
  if (notify) {
    await sfsNotifyChanged(sql, [{ tenantId: rows[0].tenant_id, tokenId: rows[0].id }]);
  }
  return true;
}

/** See {@link SfsTokenStore.claimDueRefreshes}; rows come back ordered by `refresh_at`. */
export async function sfsClaimDueRefreshes(
  sql: SfsSqlSession,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<SfsTokenRecord[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await sql.rows<SfsTokenRow>(CLAIM_DUE, [owner, now, leaseUntil, limit]);
  return rows
    .map(sfsTokenRecordFromRow)
    .sort((a, b) => a.refreshAt.getTime() - b.refreshAt.getTime() || a.id.localeCompare(b.id));
}

/** See {@link SfsTokenStore.recordRefreshFailure}. A permanent failure notifies. */
export function sfsRecordRefreshFailure(
  sql: SfsSqlSession,
  id: string,
  version: number,
  failure: SfsAttemptFailure,
  event: SfsNewTokenEvent,
): Promise<boolean> {
  const params = [
    id,
    version,
    sfsClip(failure.error, 500),
    failure.nextAttemptAt,
    failure.permanent,
  ];
  return compareAndSet(sql, RECORD_FAILURE, params, event, failure.permanent);
}

/** See {@link SfsTokenStore.postponeRefresh}. */
export function sfsPostponeRefresh(
  sql: SfsSqlSession,
  id: string,
  version: number,
  refreshAt: Date,
  event: SfsNewTokenEvent | null,
): Promise<boolean> {
  return compareAndSet(sql, POSTPONE, [id, version, refreshAt], event, false);
}

/** See {@link SfsTokenStore.markExpired}. */
export function sfsMarkExpired(
  sql: SfsSqlSession,
  id: string,
  version: number,
  event: SfsNewTokenEvent,
): Promise<boolean> {
  return compareAndSet(sql, MARK_EXPIRED, [id, version], event, true);
}

/** See {@link SfsTokenStore.reseal}. */
export function sfsReseal(
  sql: SfsSqlSession,
  id: string,
  version: number,
  sealed: SfsSealedToken,
  event: SfsNewTokenEvent,
): Promise<boolean> {
  return compareAndSet(sql, RESEAL, [id, version, sealed.ciphertext, sealed.keyId], event, false);
}

/** See {@link SfsTokenStore.markUndecryptable}. */
export function sfsMarkUndecryptable(
  sql: SfsSqlSession,
  id: string,
  version: number,
  reason: string,
  event: SfsNewTokenEvent,
): Promise<boolean> {
  return compareAndSet(sql, MARK_UNDECRYPTABLE, [id, version, sfsClip(reason, 500)], event, true);
}

/** See {@link SfsTokenStore.touchLastUsed}: one statement, latest stamp per id wins. */
export async function sfsTouchLastUsed(
  sql: SfsSqlSession,
  entries: ReadonlyArray<{ id: string; at: Date }>,
): Promise<void> {
  const latest = new Map<string, Date>();
  for (const { id, at } of entries) {
    if (!sfsIsUuid(id)) continue;
    const seen = latest.get(id);
    if (!seen || seen < at) latest.set(id, at);
  }
  if (latest.size === 0) return;
  const ids = [...latest.keys()].sort();
  await sql.run(TOUCH, [ids, ids.map((id) => latest.get(id))]);
}

/** See {@link SfsTokenStore.findRingSealed}. */
export async function sfsFindRingSealed(
  sql: SfsSqlSession,
  afterId: string | null,
  limit: number,
): Promise<SfsTokenRecord[]> {
  const rows = await sql.rows<SfsTokenRow>(RING_SEALED, [afterId, limit]);
  return rows.map(sfsTokenRecordFromRow);
}
