import type { SfsServableRecord, SfsTokenKey, SfsTokenRecord } from '../model/token-record';
import { sfsIsUuid } from '../model/identifiers';
import type { SfsSqlSession } from '../persistence/sql-session';
import { sfsActiveRowStatement, sfsReadActiveRow } from '../persistence/token.queries';
import {
  sfsServableRecordFromRow,
  sfsTokenRecordFromRow,
  type SfsTokenRow,
} from '../persistence/token-record.mapper';

// Never bumps the version: usage stamps must not make a worker's compare-and-set fail.
const TOUCH = `
  UPDATE sfs_client_token AS t SET last_used_at = u.at
  FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at)
  WHERE t.id = u.id AND (t.last_used_at IS NULL OR t.last_used_at < u.at)`;

// Only what serving needs: node-postgres parses every column it is sent, on every read.
const FIND_SERVABLE = sfsActiveRowStatement(
  'id, tenant_id, status, token_ciphertext, token_key_id, issued_at, expires_at',
);

const FIND_BY_ID = 'SELECT * FROM sfs_client_token WHERE id = $1 AND tenant_id = $2';

const IS_OFFBOARDED = 'SELECT 1 FROM sfs_tenant_offboarding WHERE tenant_id = $1';

/** See {@link SfsServingStore.touchLastUsed}: one statement, latest stamp per id wins. */
export async function sfsTouchLastUsed(
  sql: SfsSqlSession,
  entries: ReadonlyArray<{ id: string; at: Date }>,
): Promise<void> {
  const latest = new Map<string, Date>();
  for (const { id, at } of entries) {
    if (!sfsIsUuid(id)) continue;
    const seen = latest.get(id);
    if (!seen || seen < at) latest.set(id, at);
  }
  if (latest.size === 0) return;
  const ids = [...latest.keys()].sort();
  await sql.run(TOUCH, [ids, ids.map((id) => latest.get(id))]);
}

/** See {@link SfsServingStore.findActive}. */
export function sfsFindServable(
  sql: SfsSqlSession,
  key: SfsTokenKey,
): Promise<SfsServableRecord | null> {
  return sfsReadActiveRow(sql, FIND_SERVABLE, key, sfsServableRecordFromRow);
}

/** The tenant's token `id`, or null (also for an id that is not a UUID). */
export async function sfsFindById(
  sql: SfsSqlSession,
  tenantId: string,
  id: string,
): Promise<SfsTokenRecord | null> {
  if (!sfsIsUuid(id)) return null;
  const rows = await sql.rows<SfsTokenRow>(FIND_BY_ID, [id, tenantId]);
  return rows.length > 0 ? sfsTokenRecordFromRow(rows[0]) : null;
}

/** Whether the tenant has an offboarding tombstone. */
export async function sfsIsOffboarded(sql: SfsSqlSession, tenantId: string): Promise<boolean> {
  return (await sql.rows(IS_OFFBOARDED, [tenantId])).length > 0;
}
