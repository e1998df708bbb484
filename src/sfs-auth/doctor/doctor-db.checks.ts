import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { SFS_AUTH_MIGRATIONS } from '../../../migrations';
import { SfsKeyRing } from '../crypto/key-ring';
import { SfsRingKeyWrapper } from '../crypto/ring-key.wrapper';
import { SfsTenantTokenCipher } from '../crypto/tenant-token.cipher';
import { SfsTokenCipher } from '../crypto/token-cipher';
import type { SfsAuthResolvedOptions } from '../options/option-table';
import { verdict, type SfsDoctorVerdict } from './doctor-report';

/** The tables the module's entities map, in the migrations' schema. */
const TABLES = [
  'sfs_client_token',
  'sfs_token_revocation',
  'sfs_token_event',
  'sfs_token_change',
  'sfs_token_key_lease',
  'sfs_tenant_key',
  'sfs_tenant_offboarding',
  'sfs_tenant_token_count',
  'sfs_tenant_token_count_delta',
];
/** What a ring key id looks like (see `src/sfs-auth/options/encryption-keys.ts`). */
const RING_KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** Stored tokens opened to prove the key ring (a sample: the check must stay quick). */
const KEY_SAMPLE = 200;
/** How long a NOTIFY may take to come back before the change feed is judged not to deliver. */
const ROUND_TRIP_MS = 2000;

/** A connected client for `url`, closed by `use`'s end whatever happens. */
export async function withPg<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined); // a dropped connection is reported by the query that fails
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkReachable(client: Client): Promise<SfsDoctorVerdict> {
  const { rows } = await client.query<{ version: string; db: string }>(
    'SELECT current_setting($1) AS version, current_database() AS db',
    ['server_version'],
  );
  return verdict('ok', `PostgreSQL ${rows[0].version}, database ${rows[0].db}`);
}

/** Every migration of the module applied (TypeORM's `migrations` table, or the host's own name). */
export async function checkMigrations(
  client: Client,
  table = 'migrations',
): Promise<SfsDoctorVerdict> {
  const exists = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [
    table,
  ]);
  if (!exists.rows[0].found) {
    return verdict(
      'fail',
      `no "${table}" table: the module's migrations never ran (migrationsRun: true, or npm run migration:run)`,
    );
  }
  const { rows } = await client.query<{ name: string }>(
    `SELECT name FROM "${table.replace(/"/g, '')}"`,
  );
  const applied = new Set(rows.map((r) => r.name));
  const pending = SFS_AUTH_MIGRATIONS.map((m) => m.name).filter((name) => !applied.has(name));
  if (pending.length > 0) return verdict('fail', `pending migrations: ${pending.join(', ')}`);
  return verdict('ok', `${SFS_AUTH_MIGRATIONS.length} migrations applied, none pending`);
}

export async function checkTables(client: Client): Promise<SfsDoctorVerdict> {
  const missing: string[] = [];
  for (const table of TABLES) {
    const { rows } = await client.query<{ found: string | null }>(
      'SELECT to_regclass($1) AS found',
      [table],
    );
    if (!rows[0].found) missing.push(table);
  }
  return missing.length
    ? verdict('fail', `missing tables: ${missing.join(', ')}`)
    : verdict('ok', TABLES.join(', '));
}

/** A sampled token row with its tenant's data key (when sealed under one). */
interface KeySampleRow {
  id: string;
  tenant_id: string;
  token_ciphertext: Buffer;
  token_key_id: string;
  wrapped_key: Buffer | null;
  wrapping_key_id: string | null;
}

/**
 * Opens a sample of stored token material with the configured key ring: rows sealed under a
 * tenant's data key through that key (unwrapped by the ring), older rows directly. Counts per ring
 * key id (the key that wrapped the data key, or sealed the row), no material shown. A key id the
 * ring lacks, or material that does not open, fails.
 */
export async function checkKeyRing(
  client: Client,
  options: Pick<SfsAuthResolvedOptions, 'encryptionKeys'>,
): Promise<SfsDoctorVerdict> {
  const { rows } = await client.query<KeySampleRow>(
    `SELECT t.id, t.tenant_id, t.token_ciphertext, t.token_key_id, k.wrapped_key, k.wrapping_key_id
       FROM sfs_client_token t
       LEFT JOIN sfs_tenant_key k ON k.tenant_id = t.tenant_id AND k.data_key_id = t.token_key_id
      WHERE t.token_ciphertext IS NOT NULL ORDER BY t.updated_at DESC LIMIT ${KEY_SAMPLE}`,
  );
  if (rows.length === 0) return verdict('ok', 'no stored token material yet');
  const ring = new SfsKeyRing(options.encryptionKeys);
  const wrapper = new SfsRingKeyWrapper(ring);
  const counts = new Map<string, { opened: number; failed: number }>();
  let hostWrapped = 0;
  for (const row of rows) {
    // A KMS key id (an ARN, a Vault path) can never be a ring key id: the doctor cannot unwrap it.
    if (row.wrapping_key_id && !RING_KEY_ID.test(row.wrapping_key_id)) {
      hostWrapped += 1;
      continue;
    }
    const keyId = row.wrapping_key_id ?? row.token_key_id;
    const count = counts.get(keyId) ?? { opened: 0, failed: 0 };
    const dataKeys = {
      current: () => Promise.reject(new Error('the doctor seals nothing')),
      byId: async (tenantId: string, dataKeyId: string) => {
        if (!row.wrapped_key || !row.wrapping_key_id) throw new Error(`no data key ${dataKeyId}`);
        const wrapped = { keyId: row.wrapping_key_id, wrapped: row.wrapped_key };
        return wrapper.unwrap(wrapped, { tenantId });
      },
    };
    try {
      await new SfsTenantTokenCipher(new SfsTokenCipher(ring), dataKeys).open(
        { ciphertext: row.token_ciphertext, keyId: row.token_key_id },
        { tenantId: row.tenant_id, tokenId: row.id },
      );
      count.opened += 1;
    } catch {
      count.failed += 1;
    }
    counts.set(keyId, count);
  }
  const ringIds = new Set(options.encryptionKeys.map((k) => k.id));
  const parts = [...counts].map(
    ([id, c]) =>
      `'${id}'${ringIds.has(id) ? '' : ' (not in SFS_ENCRYPTION_KEYS)'}: ${c.opened} opened${c.failed ? `, ${c.failed} failed` : ''}`,
  );
  const failed = [...counts.values()].reduce((n, c) => n + c.failed, 0);
  if (hostWrapped > 0) {
    parts.push(`${hostWrapped} under data keys wrapped by a host key wrapper (not checked)`);
  }
  const detail = `${rows.length} stored tokens sampled; ${parts.join('; ')}`;
  return verdict(failed > 0 ? 'fail' : 'ok', detail);
}

/** The change feed the module would run: a NOTIFY sent on `url` must come back on `listenUrl`. */
export async function checkChangeFeed(
  url: string,
  listenUrl: string,
  mode: string,
): Promise<SfsDoctorVerdict> {
  if (mode === 'poll')
    return verdict('ok', 'poll mode: no LISTEN needed (the module polls the change sequence)');
  const channel = `sfs_auth_doctor_${randomBytes(6).toString('hex')}`;
  const ms = await withPg(listenUrl, async (listener) => {
    await listener.query(`LISTEN ${channel}`);
    const started = performance.now();
    const heard = new Promise<number>((resolve) => {
      listener.on('notification', (n) => {
        if (n.channel === channel) resolve(Math.round(performance.now() - started));
      });
    });
    await withPg(url, (sender) => sender.query('SELECT pg_notify($1, $2)', [channel, 'doctor']));
    const timeout = new Promise<undefined>((resolve) =>
      setTimeout(() => resolve(undefined), ROUND_TRIP_MS).unref(),
    );
    return Promise.race([heard, timeout]);
  });
  const where = listenUrl === url ? 'DATABASE_URL' : 'SFS_LISTEN_DATABASE_URL';
  if (ms !== undefined) return verdict('ok', `LISTEN on ${where}: a NOTIFY came back in ${ms} ms`);
  const why = `LISTEN on ${where} heard no NOTIFY within ${ROUND_TRIP_MS} ms (a transaction pooler?)`;
  return mode === 'listen'
    ? verdict(
        'fail',
        `${why}: mode listen would miss revocations; set SFS_LISTEN_DATABASE_URL to a direct or session-mode URL`,
      )
    : verdict(
        'warn',
        `${why}: auto mode will poll; set SFS_LISTEN_DATABASE_URL to a direct or session-mode URL for push`,
      );
}
