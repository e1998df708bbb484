import type { SfsSqlSession } from '../persistence/sql-session';

/** Dead, past the window (last change, expiry and creation), and not waiting on SFS (no outbox row). */
const PURGEABLE = (t: string) => `
  ${t}.status IN ('revoked', 'expired', 'failed')
  AND ${t}.updated_at < $1 AND ${t}.expires_at < $1 AND ${t}.created_at < $1
  AND NOT EXISTS (SELECT 1 FROM sfs_token_revocation o WHERE o.token_id = ${t}.id)`;

// Why the shape:
// - A row referenced through `replaced_by` by a row that must stay (live, young, or with an outbox
//   row) is never a candidate: deleting it would null that row's `replaced_by` (ON DELETE SET NULL),
//   which tells revocation the old token may still be live at SFS.
// - Deleting a candidate nulls `replaced_by` of the (purgeable) rows referencing it, which needs
//   their row locks. They are taken here with SKIP LOCKED too, and a candidate is deleted only when
//   this statement holds every row referencing it, so instances never wait on (or deadlock with)
//   each other; a candidate whose referencer another instance holds is left for a later batch.
// - `= ANY (ARRAY(...))` makes the delete find its rows by primary key; a join with the CTE lets
//   the planner hash it against a scan of the whole table.
// - A referencing row is always created before the row it references: claiming in `created_at`
//   order claims a chain's rows together. `created_at < $1` holds for every purgeable row and lets
//   the partial index bound the scan.
const PURGE_TOKENS = `
  WITH claimed AS (
    SELECT t.id FROM sfs_client_token t
    WHERE ${PURGEABLE('t')}
      AND NOT EXISTS (
        SELECT 1 FROM sfs_client_token p
        WHERE p.replaced_by = t.id AND NOT (${PURGEABLE('p')}))
    ORDER BY t.created_at, t.id
    LIMIT $2
    FOR UPDATE OF t SKIP LOCKED
  ), referencing AS (
    SELECT p.id FROM sfs_client_token p JOIN claimed c ON p.replaced_by = c.id
    WHERE p.id NOT IN (SELECT id FROM claimed)
    FOR UPDATE OF p SKIP LOCKED
  )
  DELETE FROM sfs_client_token AS d
  WHERE d.id = ANY (ARRAY(SELECT id FROM claimed))
    AND NOT EXISTS (
      SELECT 1 FROM sfs_client_token p
      WHERE p.replaced_by = d.id
        AND p.id NOT IN (SELECT id FROM claimed UNION ALL SELECT id FROM referencing))`;

const PURGE_EVENTS = `
  WITH claimed AS (
    SELECT id FROM sfs_token_event
    WHERE at < $1
    ORDER BY at, id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
  )
  DELETE FROM sfs_token_event WHERE id = ANY (ARRAY(SELECT id FROM claimed))`;

/** See {@link SfsTokenRetentionStore.purgeDeadTokens}. */
export async function sfsPurgeDeadTokens(
  sql: SfsSqlSession,
  before: Date,
  limit: number,
): Promise<number> {
  return (await sql.run(PURGE_TOKENS, [before, limit])).affected;
}

/** See {@link SfsTokenRetentionStore.purgeEvents}. */
export async function sfsPurgeEvents(
  sql: SfsSqlSession,
  before: Date,
  limit: number,
): Promise<number> {
  return (await sql.run(PURGE_EVENTS, [before, limit])).affected;
}
