import type {
  SfsActor,
  SfsNewTokenEvent,
  SfsNewTokenRecord,
  SfsTokenKey,
  SfsTokenRecord,
} from '../model/token-record';
import { sfsAppendEvents, sfsNotifyChanged } from './event.queries';
import type { SfsSqlSession } from './sql-session';
import { SfsTokenConflictError } from '../errors/sfs-auth.error';
import { sfsClip, sfsTokenRecordFromRow } from './token-record.mapper';

/** Columns every compare-and-set resets: the lease is released, the version moves on. */
export const SFS_RELEASE_AND_BUMP =
  'lease_owner = NULL, lease_expires_at = NULL, version = version + 1, updated_at = now()';

/**
 * A SELECT of `columns` of the active row of one key, read by {@link sfsReadActiveRow}. Its
 * condition matches the expression of ux_sfs_client_token_active_key. The tenant comes from a
 * sub-SELECT, so the planner costs it as any tenant, not as this one: with its value in the
 * statement, statistics that predate the tenant's rows (one row, they said) made it scan the
 * tenant's active rows through another index on `tenant_id`, 0.3 ms for 600 of them. Only the
 * tenant: a sub-SELECT of the whole key took three times as long to plan.
 */
export function sfsActiveRowStatement(columns: string): string {
  return `SELECT ${columns} FROM sfs_client_token
    WHERE tenant_id = (SELECT $1::varchar) AND client_key = $2
      AND COALESCE(subject_id, '') = COALESCE($3::varchar, '') AND status = 'active'`;
}

/** Runs an {@link sfsActiveRowStatement} for `key`; its row mapped by `map`, or null. */
export async function sfsReadActiveRow<R, T>(
  sql: SfsSqlSession,
  statement: string,
  key: SfsTokenKey,
  map: (row: R) => T,
): Promise<T | null> {
  const rows = await sql.rows<R>(statement, [key.tenantId, key.clientKey, key.subjectId]);
  return rows.length > 0 ? map(rows[0]) : null;
}

const FIND_ACTIVE = sfsActiveRowStatement('*');

/** The columns a new token row is written with, in the order of {@link sfsTokenParams}. */
export const SFS_TOKEN_INSERT_COLUMNS = `id, tenant_id, client_key, subject_id, status,
  token_ciphertext, token_key_id, fingerprint, issued_at, expires_at, refresh_at,
  session_started_at, revoke_reason`;

/** `$1`…`$13`: the values of {@link SFS_TOKEN_INSERT_COLUMNS}, typed. */
const SFS_TOKEN_INSERT_VALUES = `$1::uuid, $2::varchar, $3::varchar, $4::varchar,
  $5::varchar, $6::bytea, $7::varchar, $8::varchar, $9::timestamptz, $10::timestamptz,
  $11::timestamptz, $12::timestamptz, $13::varchar`;

const INSERT_TOKEN = `
  INSERT INTO sfs_client_token (${SFS_TOKEN_INSERT_COLUMNS})
  VALUES (${SFS_TOKEN_INSERT_VALUES})`;

/** The parameters `$1`…`$13` of a new token row (see {@link SFS_TOKEN_INSERT_COLUMNS}). */
export function sfsTokenParams(record: SfsNewTokenRecord): unknown[] {
  return [
    record.id,
    record.tenantId,
    record.clientKey,
    record.subjectId,
    record.status,
    record.sealed.ciphertext,
    record.sealed.keyId,
    record.fingerprint,
    record.issuedAt,
    record.expiresAt,
    record.refreshAt,
    record.sessionStartedAt,
    sfsClip(record.revokeReason, 200),
  ];
}

// A token born `revoking` (it lost a race) goes straight to the outbox, due at once.
const INSERT_OUTBOX_FOR_NEW = `
  INSERT INTO sfs_token_revocation (token_id, tenant_id, next_attempt_at, reason, actor, requested_at)
  VALUES ($1, $2, $3, $4, $5, $3)`;

// Keeps the material: a replaced token may still be live at SFS until it expires (revocable).
// Compare-and-set on the status, not the version: a worker's lease claim bumps the version without
// taking the row out of service, and the key lease (with its fence) already serialises every mint of the key. Only a
// revocation makes the new token lose; a row that expired or failed meanwhile is simply replaced.
/**
 * Retires the row whose id is `id` for a replacement (an UPDATE of `sfs_client_token AS t`, whose
 * other tables come `from`); `extra` adds columns to set.
 */
export function sfsRetireStatement(id: string, extra: string, from: string): string {
  return `
  UPDATE sfs_client_token AS t
  SET status = CASE WHEN t.status = 'active' THEN 'expired' ELSE t.status END,${extra}
    ${SFS_RELEASE_AND_BUMP}
  FROM ${from}
  WHERE t.id = ${id} AND t.status IN ('active', 'expired', 'failed')`;
}

/** The active row of a key, if any. */
export function sfsFindActive(
  sql: SfsSqlSession,
  key: SfsTokenKey,
): Promise<SfsTokenRecord | null> {
  return sfsReadActiveRow(sql, FIND_ACTIVE, key, sfsTokenRecordFromRow);
}

/** Inserts a row (and its outbox entry when born `revoking`); maps the key conflict. */
export async function sfsInsertRow(
  sql: SfsSqlSession,
  record: SfsNewTokenRecord,
  actor: SfsActor,
): Promise<void> {
  try {
    await sql.run(INSERT_TOKEN, sfsTokenParams(record));
  } catch (error) {
    if (sfsIsActiveKeyViolation(error)) {
      throw new SfsTokenConflictError(record, record.id);
    }
    throw error;
  }
  if (record.status === 'revoking') {
    await sql.run(INSERT_OUTBOX_FOR_NEW, [
      record.id,
      record.tenantId,
      record.issuedAt,
      sfsClip(record.revokeReason, 200),
      sfsClip(actor, 160),
    ]);
  }
}

type Changed = { id: string; tenant_id: string };

/**
 * Runs one compare-and-set statement (it returns the changed row's `id` and `tenant_id`); on
 * success appends the event and, if asked, notifies the other instances.
 */
export async function sfsCompareAndSet(
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

/** True for the unique violation of the one-active-token-per-key index. */
export function sfsIsActiveKeyViolation(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'ux_sfs_client_token_active_key';
}
