import { randomUUID } from 'node:crypto';
import { SfsManualClock } from '../../../src/sandbox';
import { SfsTokenChangePoller } from '../../../src/sfs-auth/change-feed/token-change.poller';
import { sfsNotifyChanged } from '../../../src/sfs-auth/persistence/event.queries';
import { sfsInTransaction, SfsSqlSession } from '../../../src/sfs-auth/persistence/sql-session';
import { createHarness, type PersistenceHarness } from '../persistence/persistence-harness';
import type { SfsTokenChange } from '../../../src/sfs-auth/change-feed/token-change.feed';

/** The poller on real PostgreSQL, its timer unused: each test calls `pollOnce()`. */
describe('SfsTokenChangePoller', () => {
  let h: PersistenceHarness;
  const clock = new SfsManualClock();
  const seen: SfsTokenChange[] = [];
  const resets: string[] = [];
  let poller: SfsTokenChangePoller;
  const change = (): SfsTokenChange => ({ tenantId: 't-poll', tokenId: randomUUID() });
  const commit = (...changes: SfsTokenChange[]) =>
    sfsInTransaction(h.dataSource, (sql) => sfsNotifyChanged(sql, changes));
  const ids = () => seen.map((c) => c.tokenId);

  beforeAll(async () => {
    h = await createHarness('poller');
    await commit(change()); // history before the poller starts
    poller = new SfsTokenChangePoller(h.dataSource, clock, 1000, {
      change: (c) => seen.push(c),
      reset: () => resets.push('reset'),
    });
  });
  afterAll(() => h.close());

  it('delivers each committed change once, in sequence order', async () => {
    await poller.pollOnce();
    expect(poller.healthy).toBe(true);
    seen.length = 0;
    const [a, b, c] = [change(), change(), change()];
    await commit(a, b);
    await commit(c);
    await poller.pollOnce();
    await poller.pollOnce();
    expect(seen).toEqual([a, b, c]);
    expect(poller.lastSuccessAt).toBe(clock.now());
  });

  it('delivers a change whose transaction commits after a later-numbered one', async () => {
    seen.length = 0;
    const late = change();
    const early = change();
    const runner = h.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await sfsNotifyChanged(new SfsSqlSession(runner), [late]); // takes the lower number
      await commit(early);
      await poller.pollOnce();
      expect(ids()).toEqual([early.tokenId]);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    await poller.pollOnce();
    expect(ids()).toEqual([early.tokenId, late.tokenId]);
    await poller.pollOnce();
    expect(seen).toHaveLength(2);
  });

  it('reads a large sequence near its end by an index range scan on the primary key', async () => {
    await h.sql(
      `INSERT INTO sfs_token_change (tenant_id, token_id)
       SELECT 't-bulk', gen_random_uuid() FROM generate_series(1, 50000)`,
    );
    await h.sql('ANALYZE sfs_token_change');
    const [{ max }] = await h.sql<{ max: string }>(
      'SELECT max(seq)::text AS max FROM sfs_token_change',
    );
    const plan = await h.sql<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT seq::text AS seq, tenant_id, token_id::text AS token_id
       FROM sfs_token_change WHERE seq > $1 AND seq <> ALL ($2::bigint[]) ORDER BY seq LIMIT 500`,
      [Number(max) - 3, [Number(max) - 1]],
    );
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(
      /Index Scan using pk_sfs_token_change[^\n]*\n\s*Index Cond: \(seq > /,
    );
    await poller.pollOnce(); // past the bulk rows
  });

  it('reports a reset when polls start failing and again when they come back', async () => {
    await h.sql(`ALTER TABLE sfs_token_change RENAME TO sfs_token_change_away`);
    try {
      await poller.pollOnce();
    } finally {
      await h.sql(`ALTER TABLE sfs_token_change_away RENAME TO sfs_token_change`);
    }
    expect(poller.healthy).toBe(false);
    expect(resets).toEqual(['reset']);
    seen.length = 0;
    const after = change();
    await commit(after);
    await poller.pollOnce();
    expect(poller.healthy).toBe(true);
    expect(resets).toEqual(['reset', 'reset']);
    expect(ids()).toContain(after.tokenId);
  });
});
