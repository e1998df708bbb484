import { SFS_RECORD_MINTS_ARGUMENTS } from '../../../migrations/1764900000000-AddSfsAuthRecordMintsFunction';
import type { SfsTokenKey } from '../model/token-record';
import type { SfsSqlSession } from '../persistence/sql-session';
import { sfsTokenRecordFromRow, type SfsTokenRow } from '../persistence/token-record.mapper';
import {
  sfsAppendEvents,
  sfsEventParams,
  sfsInsertEventsStatement,
  sfsNotifyExpression,
} from '../persistence/event.queries';
import { SfsTokenConflictError } from '../errors/sfs-auth.error';
import {
  SFS_TOKEN_INSERT_COLUMNS,
  sfsFindActive,
  sfsIsActiveKeyViolation,
  sfsInsertRow,
  sfsRetireStatement,
  sfsTokenParams,
} from '../persistence/token.queries';
import type { SfsKeyClaim, SfsKeyLease, SfsMintRecord } from './key-lease.types';

// Takes the key's lease when it is free or its holder's lease ran out; every claim takes a new
// fence from one sequence, so a holder whose lease was taken over can no longer record anything,
// even when retention deleted the idle row in between and the key's row starts afresh.
const CLAIM = `
  INSERT INTO sfs_token_key_lease AS l
    (tenant_id, client_key, subject_key, lease_owner, lease_expires_at, fence)
  VALUES ($1, $2, $3, $4, $5, nextval('sfs_token_key_lease_fence_seq'))
  ON CONFLICT (tenant_id, client_key, subject_key) DO UPDATE
  SET lease_owner = EXCLUDED.lease_owner, lease_expires_at = EXCLUDED.lease_expires_at,
      fence = nextval('sfs_token_key_lease_fence_seq'), updated_at = now()
  WHERE l.lease_owner IS NULL OR l.lease_expires_at <= $6
  RETURNING fence::text AS fence`;

const HELD_UNTIL = `
  SELECT lease_expires_at FROM sfs_token_key_lease
  WHERE tenant_id = $1 AND client_key = $2 AND subject_key = $3`;

// Only the holder of the current fence releases; a stale holder changes nothing.
const RELEASE = `
  UPDATE sfs_token_key_lease
  SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
  WHERE tenant_id = $1 AND client_key = $2 AND subject_key = $3 AND fence = $4::bigint
    AND lease_owner = $5`;

/** The lease row's key columns: `''` stands for "no subject" (subject ids are never empty). */
export function sfsKeyLeaseRow(key: SfsTokenKey): [string, string, string] {
  return [key.tenantId, key.clientKey, key.subjectId ?? ''];
}

/** Claims `key` for `owner` until `now + leaseMs`, then reads the key's active row. */
export async function sfsClaimKey(
  sql: SfsSqlSession,
  key: SfsTokenKey,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<SfsKeyClaim> {
  const expiresAt = new Date(now.getTime() + leaseMs);
  const claimed = await sql.rows<{ fence: string }>(CLAIM, [
    ...sfsKeyLeaseRow(key),
    owner,
    expiresAt,
    now,
  ]);
  let lease: SfsKeyLease | null = null;
  let heldUntil: Date | null = null;
  if (claimed.length > 0) {
    lease = { key, owner, fence: claimed[0].fence, expiresAt };
  } else {
    const held = await sql.rows<{ lease_expires_at: Date | null }>(HELD_UNTIL, sfsKeyLeaseRow(key));
    heldUntil = held[0]?.lease_expires_at ?? null;
  }
  // A new statement, so it sees whatever the previous holder committed before releasing.
  const current = await sfsFindActive(sql, key);
  return { lease, heldUntil, current };
}

// CLAIM for many keys in one statement (the refresh worker's next rows; their keys are distinct,
// since each has one active row), in key order, the order a recording locks lease rows in
// (RECORD_MINTS), so the two cannot deadlock; no token row is locked here.
const CLAIM_MANY = `
  INSERT INTO sfs_token_key_lease AS l
    (tenant_id, client_key, subject_key, lease_owner, lease_expires_at, fence)
  SELECT k.tenant_id, k.client_key, k.subject_key, $4, $5, nextval('sfs_token_key_lease_fence_seq')
  FROM unnest($1::varchar[], $2::varchar[], $3::varchar[]) AS k (tenant_id, client_key, subject_key)
  ORDER BY k.tenant_id, k.client_key, k.subject_key
  ON CONFLICT (tenant_id, client_key, subject_key) DO UPDATE
  SET lease_owner = EXCLUDED.lease_owner, lease_expires_at = EXCLUDED.lease_expires_at,
      fence = nextval('sfs_token_key_lease_fence_seq'), updated_at = now()
  WHERE l.lease_owner IS NULL OR l.lease_expires_at <= $6
  RETURNING tenant_id, client_key, subject_key, fence::text AS fence`;

// The active rows of many keys (same expression as ux_sfs_client_token_active_key), looked up key
// by key: a join let the planner scan every active row of the tenant when its statistics were
// behind a fast-growing table (1.1 ms for 8 keys of 2,800 rows, 0.2 ms of PostgreSQL time per
// refresh in `npm run bench refresh`).
const FIND_ACTIVE_MANY = `
  SELECT t.* FROM unnest($1::varchar[], $2::varchar[], $3::varchar[])
    AS k (tenant_id, client_key, subject_key)
  CROSS JOIN LATERAL (
    SELECT * FROM sfs_client_token a
    WHERE a.tenant_id = k.tenant_id AND a.client_key = k.client_key
      AND COALESCE(a.subject_id, '') = k.subject_key AND a.status = 'active'
  ) t`;

/**
 * {@link sfsClaimKey} for many distinct keys at once: two statements whatever their number (the
 * claim, then a fresh read of their active rows). A key held by someone else comes back with no
 * lease and `heldUntil` unknown (`null`).
 */
export async function sfsClaimKeys(
  sql: SfsSqlSession,
  keys: ReadonlyArray<SfsTokenKey>,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<SfsKeyClaim[]> {
  if (keys.length === 0) return [];
  const expiresAt = new Date(now.getTime() + leaseMs);
  const columns = [0, 1, 2].map((i) => keys.map((key) => sfsKeyLeaseRow(key)[i]));
  const claimed = await sql.rows<{
    tenant_id: string;
    client_key: string;
    subject_key: string;
    fence: string;
  }>(CLAIM_MANY, [...columns, owner, expiresAt, now]);
  const id = (row: readonly string[]) => JSON.stringify(row);
  const fences = new Map(
    claimed.map((r) => [id([r.tenant_id, r.client_key, r.subject_key]), r.fence]),
  );
  // A new statement, so it sees whatever a previous holder committed before releasing.
  const active = await sql.rows<SfsTokenRow>(FIND_ACTIVE_MANY, columns);
  const current = new Map(
    active.map((r) => [id([r.tenant_id, r.client_key, r.subject_id ?? '']), r]),
  );
  return keys.map((key) => {
    const row = id(sfsKeyLeaseRow(key));
    const fence = fences.get(row);
    const found = current.get(row);
    return {
      lease: fence === undefined ? null : { key, owner, fence, expiresAt },
      heldUntil: null,
      current: found ? sfsTokenRecordFromRow(found) : null,
    };
  });
}

/** Gives the lease up (no-op when it was taken over); `true` when it was still ours. */
export async function sfsReleaseKey(sql: SfsSqlSession, lease: SfsKeyLease): Promise<boolean> {
  const { affected } = await sql.run(RELEASE, [
    ...sfsKeyLeaseRow(lease.key),
    lease.fence,
    lease.owner,
  ]);
  return affected > 0;
}

// Records mints in one statement (one round trip), however many (the statement is the body of the
// database function `sfs_record_mints`, called by CALL_RECORD_MINTS below): each row ($1…$13 are the
// arrays of SFS_TOKEN_INSERT_COLUMNS, then its lease's key, fence and owner, and the id of the row
// it replaces) releases its lease if the fence still holds, retires the replaced row (when given)
// unless a revocation took it, inserts the new row, appends its events ($20 numbers each event's
// row, $21…$27) and, when a row was retired, records and announces that change. Each step of a
// row runs only if that row's step before it did, so each row is written whole or not at all.
// Why one statement is safe:
// - every step reads the RETURNING rows of the step before, so a row's steps run in that order;
// - a new row passes the active-key unique index because the retired row's old version was
//   superseded by this same statement (unique checks do not see it);
// - `replaced_by` (a foreign key to the new row) is checked when the statement ends, once the
//   new row exists;
// - the rows' keys are distinct (each key has one lease holder); if two collide anyway, or another
//   active row holds a key, the unique index fails the whole statement and nothing is written;
// - lease rows are locked in key order and token rows in id order (`leases`, `replaced`), as a
//   revocation locks its rows (`revocation.queries.ts`) and a claim of many keys inserts them, so
//   two statements over the same rows wait for each other instead of deadlocking.
export const SFS_RECORD_MINTS = `
  WITH input AS MATERIALIZED (
    SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[],
      $6::bytea[], $7::varchar[], $8::varchar[], $9::timestamptz[], $10::timestamptz[],
      $11::timestamptz[], $12::timestamptz[], $13::varchar[], $14::varchar[], $15::varchar[],
      $16::varchar[], $17::bigint[], $18::varchar[], $19::uuid[])
      WITH ORDINALITY AS i (${SFS_TOKEN_INSERT_COLUMNS}, lease_tenant, lease_client,
        lease_subject, fence, lease_owner, retire_id, n)
  ), leases AS (
    SELECT l.tenant_id, l.client_key, l.subject_key FROM sfs_token_key_lease l
    JOIN input i ON l.tenant_id = i.lease_tenant AND l.client_key = i.lease_client
      AND l.subject_key = i.lease_subject
    ORDER BY l.tenant_id, l.client_key, l.subject_key
    FOR UPDATE OF l
  ), released AS (
    UPDATE sfs_token_key_lease AS l
    SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    FROM input i JOIN leases k ON k.tenant_id = i.lease_tenant AND k.client_key = i.lease_client
      AND k.subject_key = i.lease_subject
    WHERE l.tenant_id = k.tenant_id AND l.client_key = k.client_key
      AND l.subject_key = k.subject_key AND l.fence = i.fence AND l.lease_owner = i.lease_owner
    RETURNING i.n
  ), replaced AS (
    SELECT t.id FROM sfs_client_token t JOIN input i ON t.id = i.retire_id
    WHERE i.n IN (SELECT n FROM released)
    ORDER BY t.id
    FOR UPDATE OF t
  ), retired AS (${sfsRetireStatement(
    'i.retire_id',
    ' replaced_by = i.id,',
    'input i JOIN replaced p ON p.id = i.retire_id',
  )}
    RETURNING i.n, t.tenant_id, t.id AS token_id
  ), inserted AS (
    INSERT INTO sfs_client_token (${SFS_TOKEN_INSERT_COLUMNS})
    SELECT ${SFS_TOKEN_INSERT_COLUMNS} FROM input i
    WHERE i.n IN (SELECT n FROM released)
      AND (i.retire_id IS NULL OR i.n IN (SELECT n FROM retired))
    RETURNING id
  ), stored AS (
    SELECT i.n FROM input i JOIN inserted s ON s.id = i.id
  ), logged AS (${sfsInsertEventsStatement(21, 'SELECT n FROM stored')}
  ), changed AS (
    INSERT INTO sfs_token_change (tenant_id, token_id)
    SELECT tenant_id, token_id FROM retired WHERE n IN (SELECT n FROM stored)
    RETURNING tenant_id, token_id
  ), notified AS (
    ${sfsNotifyExpression('changed')}
  )
  SELECT (SELECT coalesce(array_agg(n::int), '{}') FROM stored) AS stored,
    (SELECT count(*) FROM notified)::int AS notified`;

// SFS_RECORD_MINTS runs inside the database function that migration 1764900000000 created, so
// each server connection plans it once instead of at every call.
const CALL_RECORD_MINTS = `
  SELECT stored_rows AS stored FROM sfs_record_mints(${SFS_RECORD_MINTS_ARGUMENTS.map(
    (type, i) => `$${i + 1}::${type}`,
  ).join(', ')})`;

/** One mint to record with {@link sfsRecordMints}: the lease it was minted under, and its rows. */
export interface SfsLeasedMint {
  readonly lease: SfsKeyLease;
  readonly mint: SfsMintRecord;
}

/**
 * Records minted tokens while their leases still hold (each released in the same statement),
 * retiring `mint.retire` when given: one statement for all of them, atomic on its own, so it needs
 * no transaction. One boolean per mint, in their order: `false`, with nothing of it written, when
 * its fence was lost (another claimant took the key over) or a revocation took its retired row
 * first: the caller then records the token as lost ({@link sfsRecordLostMint}).
 * @throws SfsTokenConflictError (from a batch of one) when another active row holds the key;
 *   nothing is written and the lease stays held until it runs out. A batch with such a mint fails
 *   as a whole with the database's error, and writes nothing.
 */
export async function sfsRecordMints(
  sql: SfsSqlSession,
  mints: ReadonlyArray<SfsLeasedMint>,
): Promise<boolean[]> {
  if (mints.length === 0) return [];
  const rows = mints.map(({ lease, mint }) => [
    ...sfsTokenParams(mint.record),
    ...sfsKeyLeaseRow(lease.key),
    lease.fence,
    lease.owner,
    mint.retire?.id ?? null,
  ]);
  const columns = rows[0].map((_, c) => rows.map((row) => row[c]));
  const events = mints.flatMap(({ mint }, i) => mint.events.map((event) => ({ event, n: i + 1 })));
  try {
    const [{ stored }] = await sql.rows<{ stored: number[] }>(CALL_RECORD_MINTS, [
      ...columns,
      events.map((e) => e.n),
      ...sfsEventParams(events.map((e) => e.event)),
    ]);
    const written = new Set(stored);
    return mints.map((_, i) => written.has(i + 1));
  } catch (error) {
    if (mints.length === 1 && sfsIsActiveKeyViolation(error)) {
      throw new SfsTokenConflictError(mints[0].mint.record, mints[0].mint.record.id);
    }
    throw error;
  }
}

/** {@link sfsRecordMints} of one mint. */
export async function sfsRecordMint(
  sql: SfsSqlSession,
  lease: SfsKeyLease,
  mint: SfsMintRecord,
): Promise<boolean> {
  const [stored] = await sfsRecordMints(sql, [{ lease, mint }]);
  return stored;
}

/**
 * Records a token that lost its race: born `revoking`, with its outbox row and events, so the
 * revocation outbox revokes it at SFS. Run in a transaction.
 */
export async function sfsRecordLostMint(sql: SfsSqlSession, lost: SfsMintRecord): Promise<void> {
  await sfsInsertRow(sql, lost.record, lost.events[0]?.actor ?? 'system');
  await sfsAppendEvents(sql, lost.events);
}

// Free lease rows untouched since `before`: deleting one only forgets a key nobody minted lately
// (fences come from a sequence, so a later claim never reuses one). Held rows are never deleted.
const PURGE_IDLE = `
  WITH claimed AS MATERIALIZED (
    SELECT tenant_id, client_key, subject_key FROM sfs_token_key_lease
    WHERE lease_owner IS NULL AND updated_at < $1
    ORDER BY updated_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED
  )
  DELETE FROM sfs_token_key_lease l USING claimed c
  WHERE l.tenant_id = c.tenant_id AND l.client_key = c.client_key
    AND l.subject_key = c.subject_key AND l.lease_owner IS NULL`;

/** See {@link SfsTokenRetentionStore.purgeIdleLeases}. */
export async function sfsPurgeIdleLeases(
  sql: SfsSqlSession,
  before: Date,
  limit: number,
): Promise<number> {
  return (await sql.run(PURGE_IDLE, [before, limit])).affected;
}
