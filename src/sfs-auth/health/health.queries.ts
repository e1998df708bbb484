import type { SfsTokenHealthFigures } from '../model/health-figures';
import type { SfsSqlSession } from '../persistence/sql-session';

// Separate scalar subqueries so that the active ones each use the partial index
// ix_sfs_client_token_refresh_due and the pending ones ix_sfs_token_revocation_due.
const HEALTH_FIGURES = `
  SELECT
    (SELECT count(*)::int FROM sfs_client_token
     WHERE status = 'active' AND refresh_at < $1) AS overdue_refreshes,
    (SELECT count(*)::int FROM sfs_client_token WHERE status = 'active') AS active_tokens,
    (SELECT count(*)::int FROM sfs_client_token WHERE status = 'failed') AS failed_tokens,
    (SELECT count(*)::int FROM sfs_token_revocation WHERE status = 'pending') AS pending_revocations,
    (SELECT min(requested_at) FROM sfs_token_revocation
     WHERE status = 'pending') AS oldest_pending_revocation_at,
    (SELECT count(*)::int FROM sfs_token_revocation WHERE status = 'failed') AS failed_revocations`;

/** The one row of the health figures statement. */
export interface SfsHealthFiguresRow {
  overdue_refreshes: number;
  pending_revocations: number;
  oldest_pending_revocation_at: Date | null;
  failed_revocations: number;
  failed_tokens: number;
  active_tokens: number;
}

/** Health row → figures. */
export function sfsHealthFiguresFromRow(row: SfsHealthFiguresRow): SfsTokenHealthFigures {
  return {
    overdueRefreshes: row.overdue_refreshes,
    pendingRevocations: row.pending_revocations,
    oldestPendingRevocationAt: row.oldest_pending_revocation_at,
    failedRevocations: row.failed_revocations,
    failedTokens: row.failed_tokens,
    activeTokens: row.active_tokens,
  };
}

/** See {@link SfsHealthStore.figures}. */
export async function sfsHealthFigures(
  sql: SfsSqlSession,
  now: Date,
  overdueAfterMs: number,
): Promise<SfsTokenHealthFigures> {
  const overdueBefore = new Date(now.getTime() - overdueAfterMs);
  const [row] = await sql.rows<SfsHealthFiguresRow>(HEALTH_FIGURES, [overdueBefore]);
  return sfsHealthFiguresFromRow(row);
}
