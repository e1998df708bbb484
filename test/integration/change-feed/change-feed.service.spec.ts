import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { SfsChangeFeedOptions } from '../../../src';
import { SfsManualClock } from '../../../src/sandbox';
import { resolveSfsAuthOptions } from '../../../src/sfs-auth/options/resolve-sfs-auth-options';
import { SfsChangeFeedService } from '../../../src/sfs-auth/change-feed/change-feed.service';
import { sfsNotifyChanged } from '../../../src/sfs-auth/persistence/event.queries';
import { sfsInTransaction } from '../../../src/sfs-auth/persistence/sql-session';
import {
  createHarness,
  eventually,
  type PersistenceHarness,
} from '../persistence/persistence-harness';
import type { SfsTokenChange } from '../../../src/sfs-auth/change-feed/token-change.feed';

/** The module's change feed on a direct connection: mode switches, driven by `probeOnce()`. */
describe('SfsChangeFeedService', () => {
  let h: PersistenceHarness;
  const clock = new SfsManualClock();
  const services: SfsChangeFeedService[] = [];
  const warnings: string[] = [];

  beforeAll(async () => {
    h = await createHarness('feed_service');
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    for (const service of services) await service.onModuleDestroy();
    jest.restoreAllMocks();
    await h.close();
  });

  async function start(changeFeed: SfsChangeFeedOptions) {
    const options = resolveSfsAuthOptions({
      apiKey: 'k',
      secret: 's',
      encryptionKeys: `k1:${randomBytes(32).toString('base64')}`,
      changeFeed: { probeIntervalMs: 3_600_000, ...changeFeed },
    });
    const service = new SfsChangeFeedService(h.dataSource, clock, options);
    services.push(service);
    const seen: SfsTokenChange[] = [];
    const resets: string[] = [];
    service.subscribe((c) => seen.push(c));
    service.onReset(() => resets.push('reset'));
    await service.onModuleInit();
    return { service, seen, resets };
  }
  const commitChange = async () => {
    const change = { tenantId: 't-svc', tokenId: randomUUID() };
    await sfsInTransaction(h.dataSource, (sql) => sfsNotifyChanged(sql, [change]));
    return change;
  };
  const listenerPids = () =>
    h.sql<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN sfs_auth_token'`,
    );

  it("'poll' opens no LISTEN connection and delivers changes by polling", async () => {
    const { service, seen } = await start({ mode: 'poll', pollIntervalMs: 50 });
    expect(service.status()).toMatchObject({ configured: 'poll', mode: 'poll' });
    expect(await listenerPids()).toEqual([]);
    const change = await commitChange();
    await eventually(() => seen.some((c) => c.tokenId === change.tokenId), 'the poll');
    await service.onModuleDestroy();
  });

  it("'auto' listens while the round trip holds, polls while it does not, and listens again", async () => {
    const { service, seen, resets } = await start({ mode: 'auto' });
    expect(service.status()).toMatchObject({ configured: 'auto', mode: 'listen' });
    const [listener] = await listenerPids();
    // From another database: a database cannot close itself to new connections.
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`ALTER DATABASE "${h.db.name}" ALLOW_CONNECTIONS false`);
    try {
      await h.sql('SELECT pg_terminate_backend($1)', [listener.pid]);
      await eventually(() => service.status().mode === 'degraded', 'the feed to notice');
      expect(service.connected).toBe(false);
      await service.probeOnce();
      expect(service.status().mode).toBe('poll');
      expect(warnings).toContainEqual(expect.stringMatching(/LISTEN connection is down; polling/));
      const polled = await commitChange();
      await eventually(() => seen.some((c) => c.tokenId === polled.tokenId), 'the poll');
    } finally {
      await admin.query(`ALTER DATABASE "${h.db.name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await eventually(async () => (await listenerPids()).length === 1, 'LISTEN to reconnect');
    const before = resets.length;
    await service.probeOnce();
    expect(service.status()).toMatchObject({ mode: 'listen' });
    expect(resets.length).toBe(before + 1); // whatever the gap dropped is suspect
    const listened = await commitChange();
    await eventually(() => seen.some((c) => c.tokenId === listened.tokenId), 'the notification');
  });
});
