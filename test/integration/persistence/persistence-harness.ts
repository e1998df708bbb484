import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SFS_AUTH_MIGRATIONS } from '../../../migrations';
import { SfsKeyRing } from '../../../src/sfs-auth/crypto/key-ring';
import { SfsTokenCipher } from '../../../src/sfs-auth/crypto/token-cipher';
import { SFS_AUTH_ENTITIES } from '../../../src/sfs-auth/persistence/entities';
import { sfsAppendEvents } from '../../../src/sfs-auth/persistence/event.queries';
import { sfsInTransaction } from '../../../src/sfs-auth/persistence/sql-session';
import { sfsInsertRow } from '../../../src/sfs-auth/persistence/token.queries';
import { SfsReencryptionStore } from '../../../src/sfs-auth/crypto/reencryption.store';
import { SfsRefreshQueue } from '../../../src/sfs-auth/refresh/refresh.queue';
import { SfsRevocationOutbox } from '../../../src/sfs-auth/revocation/revocation.outbox';
import { SfsKeyLeaseStore } from '../../../src/sfs-auth/serving/key-lease.store';
import { SfsServingStore } from '../../../src/sfs-auth/serving/serving.store';
import type {
  SfsNewTokenEvent,
  SfsNewTokenRecord,
  SfsTokenRecord,
  SfsTokenEventType,
  SfsTokenKey,
} from '../../../src/sfs-auth/model/token-record';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

/** The module's tables after every migration, in name order (the tests' own list, not the code's). */
export const SFS_MODULE_TABLES = [
  'sfs_client_token',
  'sfs_tenant_key',
  'sfs_tenant_offboarding',
  'sfs_tenant_token_count',
  'sfs_tenant_token_count_delta',
  'sfs_token_change',
  'sfs_token_event',
  'sfs_token_key_lease',
  'sfs_token_revocation',
];

/** 2026-01-01T00:00:00Z plus `seconds`: every time in these suites is explicit. */
export const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);

/** A DataSource as a host would configure it: entities + migrations, never `synchronize`. */
export function openDataSource(url: string): Promise<DataSource> {
  return new DataSource({
    type: 'postgres',
    url,
    entities: SFS_AUTH_ENTITIES,
    migrations: SFS_AUTH_MIGRATIONS,
    synchronize: false,
    installExtensions: false,
  }).initialize();
}

/** The module's token stores, each on the same DataSource (as one instance of the module has them). */
export interface SfsTestStores {
  readonly serving: SfsServingStore;
  readonly leases: SfsKeyLeaseStore;
  readonly refresh: SfsRefreshQueue;
  readonly outbox: SfsRevocationOutbox;
  readonly reencryption: SfsReencryptionStore;
}

/** The token stores on `dataSource` (a second one stands for another instance). */
export function storesOn(dataSource: DataSource): SfsTestStores {
  return {
    serving: new SfsServingStore(dataSource),
    leases: new SfsKeyLeaseStore(dataSource),
    refresh: new SfsRefreshQueue(dataSource),
    outbox: new SfsRevocationOutbox(dataSource),
    reencryption: new SfsReencryptionStore(dataSource),
  };
}

/** A suite's own database, migrated, with one DataSource and the stores on it. */
export interface PersistenceHarness extends SfsTestStores {
  readonly db: TestDatabase;
  readonly dataSource: DataSource;
  /** Raw SQL for assertions. */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Seeds a token row (with its outbox row when born `revoking`) and its events, with no lease. */
  insertToken(record: SfsNewTokenRecord, events: SfsNewTokenEvent[]): Promise<void>;
  /** Seeds audit events. */
  appendEvents(events: SfsNewTokenEvent[]): Promise<void>;
  /**
   * Records `next` replacing `old` as a mint does (claims the key's lease, then records under it):
   * `'lost'` when a revocation took `old` first.
   */
  replaceToken(
    old: SfsTokenKey & { readonly id: string },
    next: SfsNewTokenRecord,
    events: SfsNewTokenEvent[],
  ): Promise<'stored' | 'lost'>;
  close(): Promise<void>;
}

/** {@link PersistenceHarness.insertToken} on any DataSource (tests that run two instances). */
export function seedTokenRow(
  dataSource: DataSource,
  record: SfsNewTokenRecord,
  events: SfsNewTokenEvent[],
): Promise<void> {
  return sfsInTransaction(dataSource, async (sql) => {
    await sfsInsertRow(sql, record, events[0]?.actor ?? 'system');
    await sfsAppendEvents(sql, events);
  });
}

export async function createHarness(label: string): Promise<PersistenceHarness> {
  const db = await createTestDatabase(label);
  const dataSource = await openDataSource(db.url);
  await dataSource.runMigrations();
  const stores = storesOn(dataSource);
  return {
    db,
    dataSource,
    ...stores,
    sql: (text, params = []) => dataSource.query(text, params),
    insertToken: (record, events) => seedTokenRow(dataSource, record, events),
    appendEvents: (events) => sfsInTransaction(dataSource, (sql) => sfsAppendEvents(sql, events)),
    replaceToken: async (old, next, events) => {
      const claim = await stores.leases.claimKey(old, 'seed', next.issuedAt, 60_000);
      if (!claim.lease) throw new Error(`key of ${old.id} is held: cannot seed its replacement`);
      const lost = { record: { ...next, status: 'revoking' as const }, events };
      return stores.leases.recordMint(
        claim.lease,
        { record: next, events, retire: { id: old.id } },
        lost,
      );
    },
    close: async () => {
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/**
 * The harness of one test file, in its `describe`: created before the first test, emptied
 * ({@link truncate}) before each test unless `truncateEachTest` is false, closed after the last.
 * It is handed back before it exists, so use it only inside hooks and tests (anything else throws).
 */
export function useHarness(
  label: string,
  { truncateEachTest = true }: { truncateEachTest?: boolean } = {},
): PersistenceHarness {
  let current: PersistenceHarness | undefined;
  beforeAll(async () => {
    current = await createHarness(label);
  });
  afterAll(() => current?.close());
  if (truncateEachTest) beforeEach(() => truncate(current!));
  return new Proxy({} as PersistenceHarness, {
    get: (_target, property) => {
      if (!current) throw new Error(`harness ${label} used outside its hooks and tests`);
      return Reflect.get(current, property) as unknown;
    },
  });
}

export const cipher = new SfsTokenCipher(new SfsKeyRing([{ id: 'k1', key: randomBytes(32) }]));

/** Plaintext of a test token: recognisable, so the at-rest suite can search for it. */
export const plaintextOf = (id: string): string => `sfs-plaintext-token-${id}`;

/** A sealed record for `key`, issued at `issued` seconds, living `lifetime` seconds. */
export function newRecord(
  key: Partial<SfsTokenKey> & { tenantId: string },
  options: {
    issued?: number;
    lifetime?: number;
    refreshIn?: number;
    status?: 'active' | 'revoking';
    revokeReason?: string;
  } = {},
): SfsNewTokenRecord {
  const id = randomUUID();
  const issued = options.issued ?? 0;
  const lifetime = options.lifetime ?? 3600;
  return {
    id,
    tenantId: key.tenantId,
    clientKey: key.clientKey ?? 'client-a',
    subjectId: key.subjectId ?? null,
    status: options.status ?? 'active',
    sealed: cipher.seal(plaintextOf(id), { tenantId: key.tenantId, tokenId: id }),
    fingerprint: cipher.fingerprint(plaintextOf(id)),
    issuedAt: at(issued),
    expiresAt: at(issued + lifetime),
    refreshAt: at(issued + (options.refreshIn ?? lifetime - 300)),
    sessionStartedAt: at(issued),
    revokeReason: options.revokeReason,
  };
}

/** An audit event for a record. */
export function eventFor(
  record: { tenantId: string; id: string },
  type: SfsTokenEventType,
  seconds = 0,
  extra: Partial<SfsNewTokenEvent> = {},
): SfsNewTokenEvent {
  return {
    tenantId: record.tenantId,
    tokenId: record.id,
    type,
    actor: 'system',
    at: at(seconds),
    ...extra,
  };
}

/** Every row of every table of the module, for "nothing changed" assertions. */
export async function snapshot(h: PersistenceHarness): Promise<unknown[]> {
  return Promise.all(
    ['sfs_client_token', 'sfs_token_revocation', 'sfs_token_event'].map((table) =>
      h.sql(`SELECT * FROM ${table} ORDER BY id`),
    ),
  );
}

/** Empties the module's tables (claims are global, so claim tests start from nothing). */
export async function truncate(h: PersistenceHarness): Promise<void> {
  await h.sql(
    'TRUNCATE sfs_token_event, sfs_token_revocation, sfs_client_token, sfs_token_key_lease, sfs_tenant_key, sfs_tenant_offboarding',
  );
}

/** Polls `probe` until it returns true (bounded): for async notifications and lock waits only. */
export async function eventually(
  probe: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Inserts an active token for `tenantId` and returns it as the store reads it back. */
export async function seedToken(
  h: PersistenceHarness,
  tenantId: string,
  options: Parameters<typeof newRecord>[1] = {},
  subjectId?: string,
): Promise<SfsTokenRecord> {
  const record = newRecord({ tenantId, subjectId }, options);
  await h.insertToken(record, [eventFor(record, 'issued')]);
  return (await h.serving.findById(tenantId, record.id)) as SfsTokenRecord;
}

/** The audit trail of one token, oldest first. */
export function eventsOf(h: PersistenceHarness, tokenId: string) {
  return h.sql<{ type: string; actor: string; reason: string | null; detail: unknown }>(
    `SELECT type, actor, reason, detail FROM sfs_token_event WHERE token_id = $1 ORDER BY id`,
    [tokenId],
  );
}

/** Inserts an active token of a (tenant, client, subject) without events; returns it as stored. */
export async function seedKey(
  h: PersistenceHarness,
  key: { tenantId: string; clientKey: string; subjectId: string | null },
  issued = 0,
): Promise<SfsTokenRecord> {
  const record = newRecord(key, { issued });
  await h.insertToken(record, []);
  return (await h.serving.findById(key.tenantId, record.id)) as SfsTokenRecord;
}

/** Every revocation outbox row, by token. */
export function outboxRows(h: PersistenceHarness) {
  return h.sql<Record<string, unknown>>(`SELECT * FROM sfs_token_revocation ORDER BY token_id`);
}

/** The audit events of one type, by token: who, why and when. */
export function eventsOfType(h: PersistenceHarness, type: string) {
  return h.sql<Record<string, unknown>>(
    `SELECT token_id, actor, reason, at FROM sfs_token_event WHERE type = $1 ORDER BY token_id`,
    [type],
  );
}

/** Where {@link driveTo} takes a token: its row status, or a `revoking` one whose outbox gave up. */
export type SeedState = 'revoking' | 'revoke_failed' | 'revoked' | 'expired' | 'failed';

/**
 * Takes an active token to `state` through the store's own transitions at `seconds` (a revocation
 * is requested then, so its outbox row's `requested_at` is `at(seconds)`).
 */
export async function driveTo(
  h: PersistenceHarness,
  token: SfsTokenRecord,
  state: SeedState,
  seconds = 0,
): Promise<void> {
  if (state === 'expired') {
    await h.refresh.markExpired(token.id, token.version, eventFor(token, 'expired', seconds));
    return;
  }
  if (state === 'failed') {
    const event = eventFor(token, 'key_missing', seconds);
    await h.reencryption.markUndecryptable(token.id, token.version, 'DECRYPTION_FAILED', event);
    return;
  }
  const filter = { tenantId: token.tenantId, tokenId: token.id };
  await h.outbox.requestRevocation(filter, 'test', 'host', at(seconds));
  if (state === 'revoking') return;
  const [row] = await h.sql<{ id: string; version: number }>(
    'SELECT id, version FROM sfs_token_revocation WHERE token_id = $1',
    [token.id],
  );
  if (state === 'revoked') {
    await h.outbox.confirmRevocation(row.id, row.version, eventFor(token, 'revoked', seconds));
    return;
  }
  const failure = { error: 'gave up', nextAttemptAt: null, permanent: true };
  const event = eventFor(token, 'revoke_failed', seconds);
  await h.outbox.recordRevocationFailure(row.id, row.version, failure, event);
}
