import type {
  SfsActor,
  SfsNewTokenEvent,
  SfsRevocationWork,
  SfsAttemptFailure,
} from '../model/token-record';
import {
  sfsAppendEvents,
  sfsEventParams,
  sfsInsertEventsStatement,
  sfsNotifyChanged,
} from '../persistence/event.queries';
import type { SfsSqlSession } from '../persistence/sql-session';
import {
  sfsClip,
  sfsRevocationWorkFromRow,
  type SfsRevocationWorkRow,
} from '../persistence/token-record.mapper';
import { sfsIsUuid } from '../model/identifiers';

/** Which tokens a revocation request covers (all within one tenant). */
export interface SfsRevocationFilter {
  readonly tenantId: string;
  readonly tokenId?: string;
  readonly clientKey?: string;
  /** `undefined`: any subject; a string: that subject only. */
  readonly subjectId?: string;
}

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

// Confirms many revocations in one statement (one round trip, atomic on its own): each outbox row
// ($1 ids, $2 versions) still at its version is deleted, its token becomes `revoked` at $3 with its
// material wiped, and its events ($4 numbers each event's row, $5…$11) are appended; a row whose
// version moved on (another instance's write won) changes nothing.
const CONFIRM = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[])
      WITH ORDINALITY AS i (id, version, revoked_at, n)
  ), confirmed AS (
    DELETE FROM sfs_token_revocation AS r USING input i
    WHERE r.id = i.id AND r.version = i.version
    RETURNING i.n, r.token_id, i.revoked_at
  ), revoked AS (
    UPDATE sfs_client_token AS t
    SET status = 'revoked', revoked_at = c.revoked_at, token_ciphertext = NULL,
        token_key_id = NULL, lease_owner = NULL, lease_expires_at = NULL,
        version = t.version + 1, updated_at = now()
    FROM confirmed c WHERE t.id = c.token_id
  ), logged AS (${sfsInsertEventsStatement(5, 'SELECT n FROM confirmed')}
  )
  SELECT coalesce(array_agg(n::int), '{}') AS confirmed FROM confirmed`;

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

/** One confirmation for {@link sfsConfirmRevocations}: the outbox row, its version, its event. */
export interface SfsRevocationConfirmation {
  readonly revocationId: string;
  readonly version: number;
  /** The `revoked` event; its time is the token's `revoked_at`. */
  readonly event: SfsNewTokenEvent;
}

/**
 * See {@link SfsRevocationOutbox.confirmRevocation}, for many rows in one statement: one boolean
 * per confirmation, in their order (`false`: the row's version moved on, or the id is no uuid).
 */
export async function sfsConfirmRevocations(
  sql: SfsSqlSession,
  confirmations: ReadonlyArray<SfsRevocationConfirmation>,
): Promise<boolean[]> {
  const valid = confirmations.filter((c) => sfsIsUuid(c.revocationId));
  if (valid.length === 0) return confirmations.map(() => false);
  const [{ confirmed }] = await sql.rows<{ confirmed: number[] }>(CONFIRM, [
    valid.map((c) => c.revocationId),
    valid.map((c) => c.version),
    valid.map((c) => c.event.at),
    valid.map((_, i) => i + 1),
    ...sfsEventParams(valid.map((c) => c.event)),
  ]);
  const done = new Set(confirmed.map((n) => valid[n - 1]));
  return confirmations.map((c) => done.has(c));
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
