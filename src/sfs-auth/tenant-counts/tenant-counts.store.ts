import { Injectable } from '@nestjs/common';
import { SfsTypeOrmStore } from '../persistence/typeorm-store';

// Why the shape:
// - Deltas are claimed oldest first with SKIP LOCKED, so instances folding at once take disjoint
//   batches, and the DELETE and the upsert commit together: each delta is added exactly once.
// - Counts are upserted in key order, so two folds wait on each other rather than deadlock; only
//   folds write `sfs_tenant_token_count` (the triggers append deltas and lock nothing shared).
const FOLD_DELTAS = `
  WITH moved AS (
    DELETE FROM sfs_tenant_token_count_delta
    WHERE seq = ANY (ARRAY(
      SELECT seq FROM sfs_tenant_token_count_delta ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED))
    RETURNING tenant_id, status, n
  )
  INSERT INTO sfs_tenant_token_count AS c (tenant_id, status, n)
  SELECT tenant_id, status, sum(n) FROM moved GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (tenant_id, status) DO UPDATE SET n = c.n + EXCLUDED.n
  RETURNING (SELECT count(*) FROM moved)::int AS moved`;

/**
 * The tenant token counts kept by the database (see
 * `migrations/1764800000000-AddSfsAuthTenantTokenCounts.ts`): the triggers append deltas, and
 * {@link foldDeltas} adds them into the counts so the admin summary reads a few rows per tenant.
 *
 * @internal
 */
@Injectable()
export class SfsTenantCountsStore extends SfsTypeOrmStore {
  /** Folds up to `limit` of the oldest deltas into the counts; answers how many it folded. */
  async foldDeltas(limit: number): Promise<number> {
    const rows = await this.tx((sql) => sql.rows<{ moved: number }>(FOLD_DELTAS, [limit]));
    return rows[0]?.moved ?? 0;
  }
}
