import type { SfsNewTokenEvent } from '../model/token-record';
import type { SfsSqlSession } from './sql-session';
import { sfsClip } from './token-record.mapper';

/** The LISTEN/NOTIFY channel of {@link SfsTokenChangeFeed}. */
export const SFS_TOKEN_CHANGE_CHANNEL = 'sfs_auth_token';

/**
 * Inserts the events of {@link sfsEventParams} given as parameters `$from`…`$from+6`. With
 * `ofRows`, the events belong to the numbered rows of a batch: `$from-1` is an `int[]` giving each
 * event's row number, and only the events of the rows the subquery `ofRows` selects (a column
 * `n`) are inserted.
 */
export function sfsInsertEventsStatement(from: number, ofRows?: string): string {
  const p = (i: number) => `$${from + i}`;
  const arrays = `${p(0)}::varchar[], ${p(1)}::uuid[], ${p(2)}::varchar[], ${p(3)}::varchar[],
    ${p(4)}::varchar[], ${p(5)}::jsonb[], ${p(6)}::timestamptz[]`;
  const columns = 'tenant_id, token_id, type, actor, reason, detail, at';
  const insert = `INSERT INTO sfs_token_event (${columns})`;
  if (ofRows === undefined) return `\n  ${insert}\n  SELECT * FROM unnest(\n    ${arrays}\n  )`;
  return `
  ${insert}
  SELECT ${columns} FROM unnest(${p(-1)}::int[], ${arrays}) AS e (n, ${columns})
  WHERE e.n IN (${ofRows})`;
}

const INSERT_EVENTS = sfsInsertEventsStatement(1);

/** The seven array parameters of {@link sfsInsertEventsStatement}. */
export function sfsEventParams(events: ReadonlyArray<SfsNewTokenEvent>): unknown[] {
  return [
    events.map((e) => e.tenantId),
    events.map((e) => e.tokenId),
    events.map((e) => e.type),
    events.map((e) => sfsClip(e.actor, 160)),
    events.map((e) => sfsClip(e.reason, 200)),
    events.map((e) => (e.detail ? JSON.stringify(e.detail) : null)),
    events.map((e) => e.at),
  ];
}

/** Announces the rows of `source` (columns `tenant_id`, `token_id`) on the change channel. */
export function sfsNotifyExpression(source: string): string {
  return `SELECT pg_notify('${SFS_TOKEN_CHANGE_CHANNEL}',
                   json_build_object('tenantId', ${source}.tenant_id, 'tokenId', ${source}.token_id)::text)
  FROM ${source}`;
}

// One row per change in the change sequence (polled by instances that cannot LISTEN), and the
// same change announced to the instances that LISTEN.
const RECORD_AND_NOTIFY = `
  WITH c AS (
    INSERT INTO sfs_token_change (tenant_id, token_id)
    SELECT * FROM unnest($1::varchar[], $2::uuid[])
    RETURNING tenant_id, token_id
  )
  ${sfsNotifyExpression('c')}`;

/** Appends audit events (one statement, however many). */
export async function sfsAppendEvents(
  sql: SfsSqlSession,
  events: ReadonlyArray<SfsNewTokenEvent>,
): Promise<void> {
  if (events.length === 0) return;
  await sql.run(INSERT_EVENTS, sfsEventParams(events));
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
