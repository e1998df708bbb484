import { DataSource } from 'typeorm';
import { SFS_AUTH_ENTITIES, SFS_AUTH_MIGRATIONS } from '../../../src';
import { sfsInTransaction } from '../../../src/sfs-auth/persistence/sql-session';
import { createHarness, newRecord, type PersistenceHarness } from './persistence-harness';

/** The module's transactions carry lock and statement timeouts, set locally (pooler-safe). */
describe('transaction guards', () => {
  let h: PersistenceHarness;
  let single: DataSource;
  beforeAll(async () => {
    h = await createHarness('tx_guards');
    // One connection, so the check after the transaction runs on the same session.
    single = await new DataSource({
      type: 'postgres',
      url: h.db.url,
      entities: SFS_AUTH_ENTITIES,
      migrations: SFS_AUTH_MIGRATIONS,
      installExtensions: false,
      extra: { max: 1 },
    }).initialize();
  });
  afterAll(async () => {
    await single.destroy();
    await h.close();
  });

  const settings =
    "SELECT current_setting('lock_timeout') AS l, current_setting('statement_timeout') AS s";

  it('sets lock_timeout and statement_timeout inside, and leaves the session as it was', async () => {
    const inside = await sfsInTransaction(single, (sql) => sql.rows(settings));
    expect(inside).toEqual([{ l: '2s', s: '10s' }]);
    expect(await single.query(settings)).toEqual([{ l: '0', s: '0' }]);
  });

  it('a transaction waiting on a lock held elsewhere fails with lock_timeout instead of waiting', async () => {
    const row = newRecord({ tenantId: 't-guard' });
    await h.insertToken(row, []);
    const holder = h.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query('SELECT 1 FROM sfs_client_token WHERE id = $1 FOR UPDATE', [row.id]);
      const write = h.refresh.markExpired(row.id, 0, {
        tenantId: 't-guard',
        tokenId: row.id,
        actor: 'test',
        at: new Date(),
        type: 'expired',
      });
      await expect(write).rejects.toMatchObject({ driverError: { code: '55P03' } });
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    // Nothing was left half done: the write goes through once the lock is free.
    expect(
      await h.refresh.markExpired(row.id, 0, {
        tenantId: 't-guard',
        tokenId: row.id,
        actor: 'test',
        at: new Date(),
        type: 'expired',
      }),
    ).toBe(true);
  });
});
