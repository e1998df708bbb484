import type { SfsTokenKey } from '../tokens/token-record';
import type { SfsSqlSession } from './sql-session';
import { sfsFindActive, sfsInsertRow, sfsInsertToken } from './token.queries';
import type { SfsKeyClaim, SfsKeyLease, SfsMintRecord } from './token.store';
import { sfsAppendEvents } from './event.queries';

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

/** Gives the lease up (no-op when it was taken over); `true` when it was still ours. */
export async function sfsReleaseKey(sql: SfsSqlSession, lease: SfsKeyLease): Promise<boolean> {
  const { affected } = await sql.run(RELEASE, [
    ...sfsKeyLeaseRow(lease.key),
    lease.fence,
    lease.owner,
  ]);
  return affected > 0;
}

/**
 * Records a minted token while `lease` still holds (released in the same transaction), retiring
 * `mint.retire` when given. When the fence was lost (another claimant took the key over) or a
 * revocation took the retired row first, `lost` is written instead: the new token, born
 * `revoking`, goes straight to the revocation outbox.
 */
export async function sfsRecordMint(
  sql: SfsSqlSession,
  lease: SfsKeyLease,
  mint: SfsMintRecord,
  lost: SfsMintRecord,
): Promise<'stored' | 'lost'> {
  if (await sfsReleaseKey(sql, lease)) {
    if (await sfsInsertToken(sql, mint.record, mint.events, mint.retire)) return 'stored';
  }
  await sfsInsertRow(sql, lost.record, lost.events[0]?.actor ?? 'system');
  await sfsAppendEvents(sql, lost.events);
  return 'lost';
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
