import type { DataSource } from 'typeorm';

/** How many filler rows to insert, and which share of them is due or dead. */
export interface FillerRows {
  /** First and last value of the series (rows `from..to`; subjects are `user-<n>`, unique). */
  readonly from: number;
  readonly to: number;
  /** Tenant prefix; rows spread over 50 tenants and 7 clients. @default 'tenant' */
  readonly tenantPrefix?: string;
}

// Every 5th row is a dead (expired) row; 1 row in 50 is active and due (refresh_at in the past);
// the rest are active and due in 1 to 21 minutes. Ciphertexts are fake bytes: nothing opens them.
const INSERT_FILLER = `
  INSERT INTO sfs_client_token (tenant_id, client_key, subject_id, status, token_ciphertext,
    token_key_id, fingerprint, issued_at, expires_at, refresh_at, session_started_at)
  SELECT $3 || '-' || (g % 50), 'client-' || (g % 7), 'user-' || g,
    CASE WHEN g % 5 = 0 THEN 'expired' ELSE 'active' END,
    decode(md5(g::text) || md5((-g)::text), 'hex'), 'bench', md5(g::text) || md5((g + 1)::text),
    now() - interval '20 minutes', now() + interval '25 minutes',
    CASE WHEN g % 50 = 1 THEN now() - (g % 600) * interval '1 second'
         ELSE now() + (60 + g % 1200) * interval '1 second' END,
    now() - interval '20 minutes'
  FROM generate_series($1::int, $2::int) AS g`;

/**
 * `VACUUM ANALYZE` after a bulk insert: fresh statistics, and hint bits and the visibility map set
 * now, so neither the first reads of a measurement nor a late autovacuum pay for the insert.
 */
export async function settleTable(dataSource: DataSource): Promise<void> {
  await dataSource.query('VACUUM ANALYZE sfs_client_token');
}

/**
 * Bulk-inserts realistic-looking token rows with one SQL statement (`generate_series`): 80 %
 * active with a unique key each, 2 % due for refresh. Returns the number of rows inserted.
 */
export async function insertFillerRows(dataSource: DataSource, rows: FillerRows): Promise<number> {
  await dataSource.query(INSERT_FILLER, [rows.from, rows.to, rows.tenantPrefix ?? 'tenant']);
  await settleTable(dataSource);
  return rows.to - rows.from + 1;
}
