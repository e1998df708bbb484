import { sfsAppendEvents } from '../persistence/event.queries';
import type { SfsSqlSession } from '../persistence/sql-session';
import type { SfsDataKeyRewrap, SfsStoredDataKey } from './tenant-key.types';

interface SfsTenantKeyRow {
  tenant_id: string;
  data_key_id: string;
  wrapped_key: Buffer;
  wrapping_key_id: string;
  version: number;
}

const COLUMNS = 'tenant_id, data_key_id, wrapped_key, wrapping_key_id, version';

const FIND = `SELECT ${COLUMNS} FROM sfs_tenant_key WHERE tenant_id = $1`;

// The first key of a tenant wins; a racing creator reads the winner back.
const INSERT = `
  INSERT INTO sfs_tenant_key (tenant_id, data_key_id, wrapped_key, wrapping_key_id, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $5)
  ON CONFLICT (tenant_id) DO NOTHING
  RETURNING ${COLUMNS}`;

// A primary-key range scan: rotation costs one row per tenant, whatever the token count.
const NOT_UNDER = `
  SELECT ${COLUMNS} FROM sfs_tenant_key
  WHERE wrapping_key_id <> $1 AND ($2::varchar IS NULL OR tenant_id > $2::varchar)
  ORDER BY tenant_id
  LIMIT $3`;

const REWRAP = `
  UPDATE sfs_tenant_key AS k
  SET wrapped_key = u.wrapped_key, wrapping_key_id = u.wrapping_key_id, version = k.version + 1,
      updated_at = $5
  FROM unnest($1::varchar[], $2::int[], $3::bytea[], $4::varchar[])
    AS u(tenant_id, version, wrapped_key, wrapping_key_id)
  WHERE k.tenant_id = u.tenant_id AND k.version = u.version
  RETURNING k.tenant_id`;

function fromRow(row: SfsTenantKeyRow): SfsStoredDataKey {
  return {
    tenantId: row.tenant_id,
    dataKeyId: row.data_key_id,
    wrapped: { keyId: row.wrapping_key_id, wrapped: row.wrapped_key },
    version: row.version,
  };
}

/** See {@link SfsTenantKeyStore.find}. */
export async function sfsFindTenantKey(
  sql: SfsSqlSession,
  tenantId: string,
): Promise<SfsStoredDataKey | null> {
  const [row] = await sql.rows<SfsTenantKeyRow>(FIND, [tenantId]);
  return row ? fromRow(row) : null;
}

/** See {@link SfsTenantKeyStore.insertIfAbsent}. */
export async function sfsInsertTenantKey(
  sql: SfsSqlSession,
  key: Omit<SfsStoredDataKey, 'version'>,
  now: Date,
): Promise<SfsStoredDataKey> {
  const [row] = await sql.rows<SfsTenantKeyRow>(INSERT, [
    key.tenantId,
    key.dataKeyId,
    key.wrapped.wrapped,
    key.wrapped.keyId,
    now,
  ]);
  if (row) return fromRow(row);
  const existing = await sfsFindTenantKey(sql, key.tenantId);
  if (!existing) throw new Error(`the data key of tenant ${key.tenantId} vanished while created`);
  return existing;
}

/** See {@link SfsTenantKeyStore.findWrappedNotUnder}. */
export async function sfsFindKeysWrappedNotUnder(
  sql: SfsSqlSession,
  wrappingKeyId: string,
  afterTenantId: string | null,
  limit: number,
): Promise<SfsStoredDataKey[]> {
  const rows = await sql.rows<SfsTenantKeyRow>(NOT_UNDER, [wrappingKeyId, afterTenantId, limit]);
  return rows.map(fromRow);
}

/** See {@link SfsTenantKeyStore.rewrap}: call it inside a transaction. */
export async function sfsRewrapTenantKeys(
  sql: SfsSqlSession,
  keys: ReadonlyArray<SfsDataKeyRewrap>,
  now: Date,
): Promise<number> {
  if (keys.length === 0) return 0;
  const { rows } = await sql.run<{ tenant_id: string }>(REWRAP, [
    keys.map((k) => k.tenantId),
    keys.map((k) => k.version),
    keys.map((k) => k.wrapped.wrapped),
    keys.map((k) => k.wrapped.keyId),
    now,
  ]);
  const written = new Set(rows.map((r) => r.tenant_id));
  await sfsAppendEvents(
    sql,
    keys
      .filter((k) => written.has(k.tenantId))
      .map((k) => ({
        tenantId: k.tenantId,
        tokenId: null,
        type: 'key_rotated' as const,
        actor: 'system',
        detail: { dataKeyId: k.dataKeyId, fromKeyId: k.fromKeyId, toKeyId: k.wrapped.keyId },
        at: now,
      })),
  );
  return written.size;
}
