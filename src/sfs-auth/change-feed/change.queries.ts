import type { SfsSqlSession } from '../persistence/sql-session';
import type { SfsTokenChange } from './token-change.feed';

/** One row of the change sequence. */
export interface SfsSequencedChange extends SfsTokenChange {
  readonly seq: number;
}

// Backward scan of the primary key: one index page.
const LATEST = `SELECT COALESCE(MAX(seq), 0)::text AS seq FROM sfs_token_change`;

// Index range scan on the primary key from `$1`; the few sequence numbers already seen above it
// (committed after a gap that is still open) are filtered out of that range.
const AFTER = `
  SELECT seq::text AS seq, tenant_id, token_id::text AS token_id
  FROM sfs_token_change
  WHERE seq > $1 AND seq <> ALL ($2::bigint[])
  ORDER BY seq
  LIMIT $3`;

const PURGE = `
  DELETE FROM sfs_token_change
  WHERE seq = ANY (ARRAY(SELECT seq FROM sfs_token_change WHERE at < $1 ORDER BY at LIMIT $2))`;

/** The highest sequence number written so far (0 when none). */
export async function sfsLatestChangeSeq(sql: SfsSqlSession): Promise<number> {
  const [row] = await sql.rows<{ seq: string }>(LATEST);
  return Number(row.seq);
}

/** Up to `limit` changes numbered above `after`, except those in `skip`, in sequence order. */
export async function sfsChangesAfter(
  sql: SfsSqlSession,
  after: number,
  skip: ReadonlyArray<number>,
  limit: number,
): Promise<SfsSequencedChange[]> {
  const rows = await sql.rows<{ seq: string; tenant_id: string; token_id: string }>(AFTER, [
    after,
    skip,
    limit,
  ]);
  return rows.map((r) => ({ seq: Number(r.seq), tenantId: r.tenant_id, tokenId: r.token_id }));
}

/** Deletes up to `limit` changes recorded before `before`, oldest first. */
export async function sfsPurgeChanges(
  sql: SfsSqlSession,
  before: Date,
  limit: number,
): Promise<number> {
  return (await sql.run(PURGE, [before, limit])).affected;
}
