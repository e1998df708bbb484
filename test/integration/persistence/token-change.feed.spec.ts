import type { DataSource } from 'typeorm';
import { PgSfsTokenChangeFeed } from '../../../src/sfs-auth/change-feed/pg-token-change.feed';
import type { SfsTokenRecord } from '../../../src/sfs-auth/model/token-record';
import {
  at,
  createHarness,
  eventFor,
  eventually,
  newRecord,
  openDataSource,
  type PersistenceHarness,
  type SfsTestStores,
} from './persistence-harness';
import type { SfsTokenChange } from '../../../src/sfs-auth/change-feed/token-change.feed';

/** A store write made on instance A, with the id it should (or should not) announce. */
type Change = (store: SfsTestStores, row: SfsTokenRecord) => Promise<unknown>;

const UNUSABLE: Array<[string, Change]> = [
  [
    'requestRevocation',
    (s, r) =>
      s.outbox.requestRevocation({ tenantId: r.tenantId, tokenId: r.id }, 'logout', 'host', at(10)),
  ],
  ['markExpired', (s, r) => s.refresh.markExpired(r.id, r.version, eventFor(r, 'expired'))],
  [
    'permanent recordRefreshFailure',
    (s, r) =>
      s.refresh.recordRefreshFailure(
        r.id,
        r.version,
        { error: 'x', nextAttemptAt: null, permanent: true },
        eventFor(r, 'refresh_failed'),
      ),
  ],
  [
    'markUndecryptable',
    (s, r) =>
      s.reencryption.markUndecryptable(
        r.id,
        r.version,
        'DECRYPTION_FAILED',
        eventFor(r, 'key_missing'),
      ),
  ],
  [
    'recordMint retiring it',
    async (s, r) => {
      const { lease } = await s.leases.claimKey(r, 'feed-test', new Date(0), 60_000);
      const next = newRecord({ tenantId: r.tenantId, subjectId: r.subjectId });
      return s.leases.recordMint(
        lease!,
        { record: next, events: [], retire: { id: r.id } },
        { record: { ...next, status: 'revoking' }, events: [] },
      );
    },
  ],
];

describe('PgSfsTokenChangeFeed', () => {
  let h: PersistenceHarness;
  let feedDataSource: DataSource;
  let feed: PgSfsTokenChangeFeed;
  const received: SfsTokenChange[] = [];
  const resets: Array<'reset'> = [];
  let subject = 0;

  beforeAll(async () => {
    h = await createHarness('feed');
    feedDataSource = await openDataSource(h.db.url);
    feed = new PgSfsTokenChangeFeed(feedDataSource);
    feed.backoff = { baseMs: 200, maxMs: 400 };
    feed.subscribe((change) => received.push(change));
    feed.onReset(() => resets.push('reset'));
    await feed.start();
  });
  afterAll(async () => {
    await feed.stop();
    await feedDataSource.destroy();
    await h.close();
  });

  async function seed(): Promise<SfsTokenRecord> {
    const record = newRecord({ tenantId: 'tenant-f', subjectId: `s${++subject}` });
    await h.insertToken(record, []);
    return (await h.serving.findById('tenant-f', record.id)) as SfsTokenRecord;
  }
  const listenerPids = () =>
    h.sql<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN sfs_auth_token'`,
    );
  const delivered = (tokenId: string) =>
    eventually(() => received.some((c) => c.tokenId === tokenId), `notification for ${tokenId}`);

  it('is connected once started', () => {
    expect(feed.connected).toBe(true);
  });

  it.each(UNUSABLE)('delivers %s from another DataSource, after commit', async (_name, change) => {
    const row = await seed();
    await change(h, row);
    await delivered(row.id);
    expect(received.filter((c) => c.tokenId === row.id)).toEqual([
      { tenantId: 'tenant-f', tokenId: row.id },
    ]);
  });

  it('announces nothing for a failed compare-and-set or a state that stays servable', async () => {
    const quiet = await seed();
    const marker = await seed();
    await h.refresh.markExpired(quiet.id, quiet.version + 1, eventFor(quiet, 'expired'));
    await h.refresh.postponeRefresh(quiet.id, quiet.version, at(999), null);
    await h.serving.touchLastUsed([{ id: quiet.id, at: at(5) }]);
    await h.refresh.markExpired(marker.id, marker.version, eventFor(marker, 'expired'));
    await delivered(marker.id); // NOTIFY is delivered in commit order: anything earlier is in
    expect(received.some((c) => c.tokenId === quiet.id)).toBe(false);
  });

  it('reconnects after its backend is terminated, signals a reset on loss and on return, and still delivers', async () => {
    expect(resets).toEqual([]);
    const [before] = await listenerPids();
    await h.sql(`SELECT pg_terminate_backend($1)`, [before.pid]);
    await eventually(() => !feed.connected, 'the feed to notice');
    expect(resets).toEqual(['reset']);
    await eventually(() => feed.connected, 'the feed to reconnect');
    expect(resets).toEqual(['reset', 'reset']);
    const [after] = await listenerPids();
    expect(after.pid).not.toBe(before.pid);
    const row = await seed();
    await h.outbox.requestRevocation({ tenantId: 'tenant-f', tokenId: row.id }, 'r', 'host', at(1));
    await delivered(row.id);
  });

  it('stops cleanly: disconnected, its connection closed, no reconnect', async () => {
    const other = new PgSfsTokenChangeFeed(feedDataSource);
    await other.start();
    expect(other.connected).toBe(true);
    expect(await listenerPids()).toHaveLength(2);
    await other.stop();
    expect(other.connected).toBe(false);
    await eventually(async () => (await listenerPids()).length === 1, 'the connection to close');
    const unsubscribed: SfsTokenChange[] = [];
    const unsubscribe = feed.subscribe((c) => unsubscribed.push(c));
    unsubscribe();
    const row = await seed();
    await h.refresh.markExpired(row.id, row.version, eventFor(row, 'expired'));
    await delivered(row.id);
    expect(unsubscribed).toEqual([]);
  });

  it('keeps retrying until the database exists, and stop() ends the retries', async () => {
    const url = new URL(h.db.url);
    const name = `${h.db.name}_late`;
    url.pathname = `/${name}`;
    const late = new PgSfsTokenChangeFeed({
      options: { type: 'postgres', url: url.toString() },
    } as DataSource);
    late.backoff = { baseMs: 10, maxMs: 50 };
    await late.start();
    expect(late.connected).toBe(false);
    await h.sql(`CREATE DATABASE "${name}"`);
    try {
      await eventually(() => late.connected, 'the feed to connect once the database exists');
    } finally {
      await late.stop();
      await h.sql(`DROP DATABASE "${name}" WITH (FORCE)`);
    }
    expect(late.connected).toBe(false);
  });
});
