import { createHash } from 'node:crypto';
import type { SfsTokenKey } from '../model/token-record';
import type { SfsSqlSession } from '../persistence/sql-session';

/**
 * What an instance does while instances of 0.1.0 still run on its database
 * (`compatibleWith: '0.1.0'`, see "Rolling upgrades" in docs/operations.md). 0.1.0 mints holding a
 * transaction-scoped advisory lock per key across its SFS call and inserts its row before it
 * commits; it cannot read material sealed under tenant data keys. So this release, in that mode,
 * seals material as 0.1.0 does (format v1, directly under the ring key: `token-cipher.ts`) and
 * records each new token holding the same lock: a 0.1.0 mint in progress finishes first, and this
 * instance's token, if it then finds another active row, loses the race and is revoked.
 */

/** 0.1.0's advisory-lock id of a key: a SHA-256 of (tenant, client, subject), signed 64-bit. */
export function sfsRelease010KeyLockId(key: SfsTokenKey): string {
  const encoded = JSON.stringify(['sfs-auth/key', key.tenantId, key.clientKey, key.subjectId]);
  return createHash('sha256').update(encoded, 'utf8').digest().readBigInt64BE(0).toString();
}

/** Takes 0.1.0's lock of `key` in the caller's transaction (held until it ends). */
export async function sfsLockKeyAsRelease010(sql: SfsSqlSession, key: SfsTokenKey): Promise<void> {
  await sql.run('SELECT pg_advisory_xact_lock($1::bigint)', [sfsRelease010KeyLockId(key)]);
}
