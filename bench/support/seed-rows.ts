import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { SfsClientTokenRequest } from '../../src';
import { SfsTokenCipher } from '../../src/sfs-auth/crypto/token-cipher';
import { SfsTenantCountsStore } from '../../src/sfs-auth/tenant-counts/tenant-counts.store';
import type { BenchApp } from './bench-app';

/** How many filler rows to insert, and which share of them is due or dead. */
export interface FillerRows {
  /** First and last value of the series (rows `from..to`; subjects are `user-<n>`, unique). */
  readonly from: number;
  readonly to: number;
  /** Tenant prefix; rows spread over {@link tenants} tenants and 7 clients. @default 'tenant' */
  readonly tenantPrefix?: string;
  /** How many tenants the rows spread over (`<prefix>-0` to `<prefix>-<n-1>`). @default 50 */
  readonly tenants?: number;
  /** Run {@link settleTable} after the insert (a loader of many chunks settles once). @default true */
  readonly settle?: boolean;
}

// Every 5th row is a dead (expired) row; 1 row in 50 is active and due (refresh_at in the past);
// the rest are active and due in 1 to 21 minutes. Ciphertexts are fake bytes: nothing opens them.
const INSERT_FILLER = `
  INSERT INTO sfs_client_token (tenant_id, client_key, subject_id, status, token_ciphertext,
    token_key_id, fingerprint, issued_at, expires_at, refresh_at, session_started_at)
  SELECT $3 || '-' || (g % $4::int), 'client-' || (g % 7), 'user-' || g,
    CASE WHEN g % 5 = 0 THEN 'expired' ELSE 'active' END,
    decode(md5(g::text) || md5((-g)::text), 'hex'), 'bench', md5(g::text) || md5((g + 1)::text),
    now() - interval '20 minutes', now() + interval '25 minutes',
    CASE WHEN g % 50 = 1 THEN now() - (g % 600) * interval '1 second'
         ELSE now() + (60 + g % 1200) * interval '1 second' END,
    now() - interval '20 minutes'
  FROM generate_series($1::int, $2::int) AS g`;

/**
 * After a bulk insert, the state a running fleet would be in: the count deltas folded (as the
 * counts worker does every few seconds), then `VACUUM ANALYZE`: fresh statistics, and hint bits and
 * the visibility map set now, so neither the first reads of a measurement nor a late autovacuum
 * pay for the insert.
 */
export async function settleTable(dataSource: DataSource): Promise<void> {
  const counts = new SfsTenantCountsStore(dataSource);
  while ((await counts.foldDeltas(10_000)) > 0);
  await dataSource.query('VACUUM ANALYZE sfs_client_token, sfs_tenant_token_count');
}

/**
 * Bulk-inserts realistic-looking token rows with one SQL statement (`generate_series`): 80 %
 * active with a unique key each, 2 % due for refresh. Returns the number of rows inserted.
 */
export async function insertFillerRows(dataSource: DataSource, rows: FillerRows): Promise<number> {
  await dataSource.query(INSERT_FILLER, [
    rows.from,
    rows.to,
    rows.tenantPrefix ?? 'tenant',
    rows.tenants ?? 50,
  ]);
  if (rows.settle ?? true) await settleTable(dataSource);
  return rows.to - rows.from + 1;
}

const SEALED_BATCH = 10_000;

const INSERT_SEALED = `
  INSERT INTO sfs_client_token (id, tenant_id, client_key, subject_id, status, token_ciphertext,
    token_key_id, fingerprint, issued_at, expires_at, refresh_at, session_started_at)
  SELECT u.id, $1, u.client_key, u.subject_id, 'active', u.sealed, $2, u.fingerprint,
    now(), now() + interval '30 minutes', now() + interval '20 minutes', now()
  FROM unnest($3::uuid[], $4::text[], $5::text[], $6::bytea[], $7::text[])
    AS u(id, client_key, subject_id, sealed, fingerprint)`;

/** The i-th key of {@link insertSealedRows} in `tenantId` (50 clients, one subject per token). */
export function sealedRowKey(tenantId: string, i: number): SfsClientTokenRequest {
  return { tenantId, clientKey: `client-${i % 50}`, subjectId: `user-${i}` };
}

/**
 * Inserts `count` active rows of `tenantId` (keys {@link sealedRowKey} 0..count-1) sealed with the
 * module's real cipher (AES-256-GCM bound to tenant and row id), holding 43-character tokens like
 * the ones SFS (and the sandbox) issue, so the module serves them as if it had minted them.
 */
export async function insertSealedRows(
  bench: BenchApp,
  tenantId: string,
  count: number,
): Promise<void> {
  const cipher = bench.app.get(SfsTokenCipher);
  for (let from = 0; from < count; from += SEALED_BATCH) {
    const ids: string[] = [];
    const clients: string[] = [];
    const subjects: string[] = [];
    const sealed: Buffer[] = [];
    const fingerprints: string[] = [];
    let keyId = '';
    for (let i = from; i < Math.min(count, from + SEALED_BATCH); i++) {
      const id = randomUUID();
      const token = randomBytes(32).toString('base64url');
      const key = sealedRowKey(tenantId, i);
      const seal = cipher.seal(token, { tenantId, tokenId: id });
      keyId = seal.keyId;
      ids.push(id);
      clients.push(key.clientKey);
      subjects.push(key.subjectId as string);
      sealed.push(seal.ciphertext);
      fingerprints.push(cipher.fingerprint(token));
    }
    await bench.dataSource.query(INSERT_SEALED, [
      tenantId,
      keyId,
      ids,
      clients,
      subjects,
      sealed,
      fingerprints,
    ]);
  }
  await settleTable(bench.dataSource);
}
