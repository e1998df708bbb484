import type { SfsNewTokenEvent } from '../tokens/token-record';
import type { SfsSqlSession } from './sql-session';
import { sfsClip } from './token-record.mapper';

/** The LISTEN/NOTIFY channel of {@link SfsTokenChangeFeed}. */
export const SFS_TOKEN_CHANGE_CHANNEL = 'sfs_auth_token';

const INSERT_EVENTS = `
  INSERT INTO sfs_token_event (tenant_id, token_id, type, actor, reason, detail, at)
  SELECT * FROM unnest(
    $1::varchar[], $2::uuid[], $3::varchar[], $4::varchar[], $5::varchar[], $6::jsonb[],
    $7::timestamptz[]
  )`;

// One row per change in the change sequence (polled by instances that cannot LISTEN), and the
// same change announced to the instances that LISTEN.
const RECORD_AND_NOTIFY = `
  WITH c AS (
    INSERT INTO sfs_token_change (tenant_id, token_id)
    SELECT * FROM unnest($1::varchar[], $2::uuid[])
    RETURNING tenant_id, token_id
  )
  SELECT pg_notify('${SFS_TOKEN_CHANGE_CHANNEL}',
                   json_build_object('tenantId', c.tenant_id, 'tokenId', c.token_id)::text)
  FROM c`;

/** Appends audit events (one statement, however many). */
export async function sfsAppendEvents(
  sql: SfsSqlSession,
  events: ReadonlyArray<SfsNewTokenEvent>,
): Promise<void> {
  if (events.length === 0) return;
  await sql.run(INSERT_EVENTS, [
    events.map((e) => e.tenantId),
    events.map((e) => e.tokenId),
    events.map((e) => e.type),
    events.map((e) => sfsClip(e.actor, 160)),
    events.map((e) => sfsClip(e.reason, 200)),
    events.map((e) => (e.detail ? JSON.stringify(e.detail) : null)),
    events.map((e) => e.at),
  ]);
}

/**
 * Tells every instance that these tokens may no longer be served: appends them to the change
 * sequence and NOTIFYs. Inside the caller's transaction, so both happen only if (and once) the
 * change commits.
 */
export async function sfsNotifyChanged(
  sql: SfsSqlSession,
  tokens: ReadonlyArray<{ tenantId: string; tokenId: string }>,
): Promise<void> {
  if (tokens.length === 0) return;
  await sql.run(RECORD_AND_NOTIFY, [tokens.map((t) => t.tenantId), tokens.map((t) => t.tokenId)]);
}
