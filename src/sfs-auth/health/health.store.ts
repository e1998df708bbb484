import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';
import type { SfsTokenHealthGauges } from '../model/health-gauges';

// Separate scalar subqueries so that the active ones each use the partial index
// ix_sfs_client_token_refresh_due and the pending ones ix_sfs_token_revocation_due.
const HEALTH_GAUGES = `
  SELECT
    (SELECT count(*)::int FROM sfs_client_token
     WHERE status = 'active' AND refresh_at < $1) AS overdue_refreshes,
    (SELECT count(*)::int FROM sfs_client_token WHERE status = 'active') AS active_tokens,
    (SELECT count(*)::int FROM sfs_client_token WHERE status = 'failed') AS failed_tokens,
    (SELECT count(*)::int FROM sfs_token_revocation WHERE status = 'pending') AS pending_revocations,
    (SELECT min(requested_at) FROM sfs_token_revocation
     WHERE status = 'pending') AS oldest_pending_revocation_at,
    (SELECT count(*)::int FROM sfs_token_revocation WHERE status = 'failed') AS failed_revocations`;

interface HealthGaugesRow {
  overdue_refreshes: number;
  pending_revocations: number;
  oldest_pending_revocation_at: Date | null;
  failed_revocations: number;
  failed_tokens: number;
  active_tokens: number;
}

/**
 * The gauges the health indicator and the metrics gauges read from the database: one read-only
 * statement on PostgreSQL.
 *
 * @internal
 */
@Injectable()
export class SfsHealthStore extends SfsTypeOrmStore {
  /** Module-wide gauges (all tenants); a refresh is overdue `overdueAfterMs` past `refresh_at`. */
  gauges(now: Date, overdueAfterMs: number): Promise<SfsTokenHealthGauges> {
    const overdueBefore = new Date(now.getTime() - overdueAfterMs);
    return this.single(async (sql) => {
      const [row] = await sql.rows<HealthGaugesRow>(HEALTH_GAUGES, [overdueBefore]);
      return {
        overdueRefreshes: row.overdue_refreshes,
        pendingRevocations: row.pending_revocations,
        oldestPendingRevocationAt: row.oldest_pending_revocation_at,
        failedRevocations: row.failed_revocations,
        failedTokens: row.failed_tokens,
        activeTokens: row.active_tokens,
      };
    });
  }
}
