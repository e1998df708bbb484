import { createHash } from 'node:crypto';
import type {
  SfsNewTokenEvent,
  SfsNewTokenRecord,
  SfsTokenKey,
  SfsTokenRecord,
} from '../tokens/token-record';
import type { SfsSqlSession } from './sql-session';
import { sfsFindActive, sfsInsertToken } from './token.queries';
import type { SfsTokenStoreTx } from './token.store';

/**
 * The 64-bit advisory-lock id of a token key (signed, as `pg_advisory_xact_lock(bigint)` wants it),
 * from a SHA-256 of an unambiguous encoding of (tenant, client, subject).
 */
export function sfsKeyLockId(key: SfsTokenKey): string {
  const encoded = JSON.stringify(['sfs-auth/key', key.tenantId, key.clientKey, key.subjectId]);
  return createHash('sha256').update(encoded, 'utf8').digest().readBigInt64BE(0).toString();
}

/** Takes the key's transaction-scoped advisory lock; held until the transaction ends. */
export async function sfsLockKey(sql: SfsSqlSession, key: SfsTokenKey): Promise<void> {
  await sql.run('SELECT pg_advisory_xact_lock($1::bigint)', [sfsKeyLockId(key)]);
}

/** The part of the store usable while holding a key lock, bound to that transaction. */
export class SfsKeyLockedTx implements SfsTokenStoreTx {
  constructor(private readonly sql: SfsSqlSession) {}

  findActive(key: SfsTokenKey): Promise<SfsTokenRecord | null> {
    return sfsFindActive(this.sql, key);
  }

  insertToken(
    record: SfsNewTokenRecord,
    events: SfsNewTokenEvent[],
    retire?: { id: string },
  ): Promise<boolean> {
    return sfsInsertToken(this.sql, record, events, retire);
  }
}
