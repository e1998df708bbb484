import type {
  SfsActor,
  SfsNewTokenEvent,
  SfsRevocationWork,
  SfsAttemptFailure,
} from '../model/token-record';
import { sfsAppendEvents, sfsNotifyChanged } from '../persistence/event.queries';
import type { SfsSqlSession } from '../persistence/sql-session';
import {
  sfsClip,
  sfsRevocationWorkFromRow,
  type SfsRevocationWorkRow,
} from '../persistence/token-record.mapper';
import { sfsIsUuid } from '../model/identifiers';
import type { SfsRevocationFilter } from './revocation.outbox';

const RELEASE_AND_BUMP =
  'lease_owner = NULL, lease_expires_at = NULL, version = r.version + 1, updated_at = now()';

/**
 * The tokens a revocation of `$1` tenant, `$2` token, `$3` client key, `$4` subject (each null: any)
 * takes at `$5`: active ones, and replaced ones that SFS still honours until they expire. The
 * revocation and the admin API's dry run count the same rows.
 */
export const SFS_REVOCABLE_TOKENS = `
  FROM sfs_client_token
  WHERE tenant_id = $1
    AND ($2::uuid IS NULL OR id = $2::uuid)
    AND ($3::varchar IS NULL OR client_key = $3::varchar)
    AND ($4::varchar IS NULL OR subject_id = $4::varchar)
    AND (status = 'active'
         OR (status = 'expired' AND replaced_by IS NOT NULL AND expires_at > $5))`;

// Locked in id order so two concurrent revocations of overlapping sets cannot deadlock.
const MARK_REVOKING = `
  WITH targets AS (
    SELECT id ${SFS_REVOCABLE_TOKENS}
    ORDER BY id
    FOR UPDATE
  )
  UPDATE sfs_client_token AS t
  SET status = 'revoking', revoke_reason = $6, lease_owner = NULL, lease_expires_at = NULL,
      version = t.version + 1, updated_at = now()
  FROM targets WHERE t.id = targets.id
  RETURNING t.id`;

const ENQUEUE = `
  INSERT INTO sfs_token_revocation (token_id, tenant_id, next_attempt_at, reason, actor, requested_at)
  SELECT id, $2, $3, $4, $5, $3 FROM unnest($1::uuid[]) AS id
  ON CONFLICT (token_id) DO NOTHING`;

const CLAIM_DUE = `
  WITH due AS (
    SELECT id FROM sfs_token_revocation
    WHERE status = 'pending' AND next_attempt_at <= $2
      AND (lease_expires_at IS NULL OR lease_expires_at <= $2)
    ORDER BY next_attempt_at, id
    LIMIT $4
    FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE sfs_token_revocation AS r
    SET lease_owner = $1, lease_expires_at = $3, version = r.version + 1, updated_at = now()
    FROM due WHERE r.id = due.id
    RETURNING r.*
  )
  SELECT c.id, c.token_id, c.tenant_id, c.attempts, c.version, c.reason, c.actor, c.requested_at,
         t.client_key, t.subject_id, t.token_ciphertext, t.token_key_id,
         t.expires_at AS token_expires_at
  FROM claimed c JOIN sfs_client_token t ON t.id = c.token_id
  ORDER BY c.next_attempt_at, c.id`;

const CONFIRM = `DELETE FROM sfs_token_revocation WHERE id = $1 AND version = $2 RETURNING token_id`;

const MARK_REVOKED = `
  UPDATE sfs_client_token
  SET status = 'revoked', revoked_at = $2, token_ciphertext = NULL, token_key_id = NULL,
      lease_owner = NULL, lease_expires_at = NULL, version = version + 1, updated_at = now()
  WHERE id = $1`;

const RECORD_FAILURE = `
  UPDATE sfs_token_revocation AS r
  SET attempts = r.attempts + 1, last_error = $3,
      next_attempt_at = CASE WHEN $5::boolean THEN r.next_attempt_at
                             ELSE COALESCE($4::timestamptz, r.next_attempt_at) END,
      status = CASE WHEN $5::boolean THEN 'failed' ELSE 'pending' END, ${RELEASE_AND_BUMP}
  WHERE r.id = $1 AND r.version = $2`;

// A retry starts a fresh round: attempts reset, so the worker's give-up threshold applies anew.
const RETRY_FAILED = `
  UPDATE sfs_token_revocation AS r
  SET status = 'pending', attempts = 0, next_attempt_at = $2, ${RELEASE_AND_BUMP}
  WHERE r.tenant_id = $1 AND r.status = 'failed' AND ($3::uuid IS NULL OR r.token_id = $3::uuid)
  RETURNING r.token_id`;

/** Bound on re-scans for replacements committed while the first scan waited on their old row. */
const MAX_SCANS = 10;

/** See {@link SfsRevocationOutbox.requestRevocation}. Returns the ids that became `revoking`. */
export async function sfsRequestRevocation(
  sql: SfsSqlSession,
  filter: SfsRevocationFilter,
  reason: string,
  actor: SfsActor,
  now: Date,
): Promise<string[]> {
  if (filter.tokenId !== undefined && !sfsIsUuid(filter.tokenId)) return [];
  const params = [
    filter.tenantId,
    filter.tokenId ?? null,
    filter.clientKey ?? null,
    filter.subjectId ?? null,
    now,
    sfsClip(reason, 200),
  ];
  const ids: string[] = [];
  // A refresh committing while this statement waits on its old row inserts a new active row this
  // statement's snapshot cannot see; each re-scan takes a fresh snapshot and catches it.
  for (let scan = 0; scan < MAX_SCANS; scan++) {
    const { rows } = await sql.run<{ id: string }>(MARK_REVOKING, params);
    if (rows.length === 0) break;
    ids.push(...rows.map((r) => r.id));
  }
  if (ids.length === 0) return [];
  ids.sort();
  await sql.run(ENQUEUE, [ids, filter.tenantId, now, sfsClip(reason, 200), sfsClip(actor, 160)]);
  await sfsAppendEvents(
    sql,
    ids.map((tokenId) => ({
      tenantId: filter.tenantId,
      tokenId,
      type: 'revoke_requested' as const,
      actor,
      reason,
      at: now,
    })),
  );
  await sfsNotifyChanged(
    sql,
    ids.map((tokenId) => ({ tenantId: filter.tenantId, tokenId })),
  );
  return ids;
}

/** See {@link SfsRevocationOutbox.claimDueRevocations}. */
export async function sfsClaimDueRevocations(
  sql: SfsSqlSession,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<SfsRevocationWork[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await sql.rows<SfsRevocationWorkRow>(CLAIM_DUE, [owner, now, leaseUntil, limit]);
  return rows.map(sfsRevocationWorkFromRow);
}

/** See {@link SfsRevocationOutbox.confirmRevocation}: `revoked_at` is the event's time. */
export async function sfsConfirmRevocation(
  sql: SfsSqlSession,
  revocationId: string,
  version: number,
  event: SfsNewTokenEvent,
): Promise<boolean> {
  if (!sfsIsUuid(revocationId)) return false;
  const { rows } = await sql.run<{ token_id: string }>(CONFIRM, [revocationId, version]);
  if (rows.length === 0) return false;
  await sql.run(MARK_REVOKED, [rows[0].token_id, event.at]);
  await sfsAppendEvents(sql, [event]);
  return true;
}

/** See {@link SfsRevocationOutbox.recordRevocationFailure}. */
export async function sfsRecordRevocationFailure(
  sql: SfsSqlSession,
  revocationId: string,
  version: number,
  failure: SfsAttemptFailure,
  event: SfsNewTokenEvent,
): Promise<boolean> {
  if (!sfsIsUuid(revocationId)) return false;
  const { affected } = await sql.run(RECORD_FAILURE, [
    revocationId,
    version,
    sfsClip(failure.error, 500),
    failure.nextAttemptAt,
    failure.permanent,
  ]);
  if (affected === 0) return false;
  await sfsAppendEvents(sql, [event]);
  return true;
}

/** See {@link SfsRevocationOutbox.retryFailedRevocations}: one `revoke_retried` event per row. */
export async function sfsRetryFailedRevocations(
  sql: SfsSqlSession,
  tenantId: string,
  now: Date,
  actor: SfsActor,
  tokenId?: string,
  reason?: string,
): Promise<number> {
  if (tokenId !== undefined && !sfsIsUuid(tokenId)) return 0;
  const { rows } = await sql.run<{ token_id: string }>(RETRY_FAILED, [
    tenantId,
    now,
    tokenId ?? null,
  ]);
  await sfsAppendEvents(
    sql,
    rows.map((r) => ({
      tenantId,
      tokenId: r.token_id,
      type: 'revoke_retried' as const,
      actor,
      at: now,
      ...(reason ? { reason } : {}),
    })),
  );
  return rows.length;
}
