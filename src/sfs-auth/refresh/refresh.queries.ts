import type { SfsAttemptFailure, SfsNewTokenEvent, SfsTokenRecord } from '../model/token-record';
import type { SfsSqlSession } from '../persistence/sql-session';
import { SFS_RELEASE_AND_BUMP, sfsCompareAndSet } from '../persistence/token.queries';
import {
  sfsClip,
  sfsTokenRecordFromRow,
  type SfsTokenRow,
} from '../persistence/token-record.mapper';

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

/** See {@link SfsRefreshQueue.claimDueRefreshes}; rows come back ordered by `refresh_at`. */
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

/** See {@link SfsRefreshQueue.recordRefreshFailure}. A permanent failure notifies. */
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
  return sfsCompareAndSet(sql, RECORD_FAILURE, params, event, failure.permanent);
}

/** See {@link SfsRefreshQueue.postponeRefresh}. */
export function sfsPostponeRefresh(
  sql: SfsSqlSession,
  id: string,
  version: number,
  refreshAt: Date,
  event: SfsNewTokenEvent | null,
): Promise<boolean> {
  return sfsCompareAndSet(sql, POSTPONE, [id, version, refreshAt], event, false);
}

/** See {@link SfsRefreshQueue.markExpired}. */
export function sfsMarkExpired(
  sql: SfsSqlSession,
  id: string,
  version: number,
  event: SfsNewTokenEvent,
): Promise<boolean> {
  return sfsCompareAndSet(sql, MARK_EXPIRED, [id, version], event, true);
}
