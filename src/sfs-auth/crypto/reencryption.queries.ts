import type { SfsNewTokenEvent, SfsSealedToken, SfsTokenRecord } from '../model/token-record';
import type { SfsSqlSession } from '../persistence/sql-session';
import { SFS_RELEASE_AND_BUMP, sfsCompareAndSet } from '../persistence/token.queries';
import {
  sfsClip,
  sfsTokenRecordFromRow,
  type SfsTokenRow,
} from '../persistence/token-record.mapper';

// Material is only re-encoded, the token's state does not change: the version is checked but not
// bumped, so a refresh or revocation holding this row's version is not invalidated by a rotation.
const RESEAL = `
  UPDATE sfs_client_token SET token_ciphertext = $3, token_key_id = $4, updated_at = now()
  WHERE id = $1 AND version = $2 AND token_ciphertext IS NOT NULL
  RETURNING id, tenant_id`;

// Only once per row: a later re-encryption pass that meets it again counts it as skipped.
const MARK_UNDECRYPTABLE = `
  UPDATE sfs_client_token SET status = 'failed', last_error = $3, ${SFS_RELEASE_AND_BUMP}
  WHERE id = $1 AND version = $2 AND token_ciphertext IS NOT NULL AND status <> 'failed'
  RETURNING id, tenant_id`;

// The predicate of the partial index ix_sfs_client_token_ring_sealed: once every row moved to a
// data key, this reads an empty index.
const RING_SEALED = `
  SELECT * FROM sfs_client_token
  WHERE token_key_id NOT LIKE 'dek:%' AND ($1::uuid IS NULL OR id > $1::uuid)
  ORDER BY id
  LIMIT $2`;

/** See {@link SfsReencryptionStore.reseal}. */
export function sfsReseal(
  sql: SfsSqlSession,
  id: string,
  version: number,
  sealed: SfsSealedToken,
  event: SfsNewTokenEvent,
): Promise<boolean> {
  return sfsCompareAndSet(
    sql,
    RESEAL,
    [id, version, sealed.ciphertext, sealed.keyId],
    event,
    false,
  );
}

/** See {@link SfsReencryptionStore.markUndecryptable}. */
export function sfsMarkUndecryptable(
  sql: SfsSqlSession,
  id: string,
  version: number,
  reason: string,
  event: SfsNewTokenEvent,
): Promise<boolean> {
  return sfsCompareAndSet(
    sql,
    MARK_UNDECRYPTABLE,
    [id, version, sfsClip(reason, 500)],
    event,
    true,
  );
}

/** See {@link SfsReencryptionStore.findRingSealed}. */
export async function sfsFindRingSealed(
  sql: SfsSqlSession,
  afterId: string | null,
  limit: number,
): Promise<SfsTokenRecord[]> {
  const rows = await sql.rows<SfsTokenRow>(RING_SEALED, [afterId, limit]);
  return rows.map(sfsTokenRecordFromRow);
}
