import type { QueryRunner } from 'typeorm';
import { SfsTokenRetentionStore } from '../../../src/sfs-auth/retention/token-retention.store';
import { at, useHarness, eventFor, openDataSource } from '../persistence/persistence-harness';
import { remaining, seedChain, seedInState } from './retention-harness';

const DAY = 86400;
/** The window's edge: rows last changed before day 30 are old enough. */
const before = at(30 * DAY);
const old = at(10 * DAY);
const young = at(40 * DAY);

describe('SfsTokenRetentionStore', () => {
  const h = useHarness('retention_store');
  let store: SfsTokenRetentionStore;

  beforeAll(async () => {
    store = new SfsTokenRetentionStore(h.dataSource);
  });

  /** Holds row locks on `ids` in another transaction until `release()`. */
  async function lockRows(ids: string[]): Promise<{ release(): Promise<void> }> {
    const runner: QueryRunner = h.dataSource.createQueryRunner();
    await runner.startTransaction();
    await runner.query('SELECT id FROM sfs_client_token WHERE id = ANY($1::uuid[]) FOR UPDATE', [
      ids,
    ]);
    return {
      release: async () => {
        await runner.commitTransaction();
        await runner.release();
      },
    };
  }

  describe('purgeDeadTokens', () => {
    it('deletes revoked, expired and failed rows changed before the window, keeps younger ones', async () => {
      const gone = [
        await seedInState(h, 't', 'revoked', old),
        await seedInState(h, 't', 'expired', old),
        await seedInState(h, 't', 'failed', old),
      ];
      const kept = [
        await seedInState(h, 't', 'revoked', young),
        await seedInState(h, 't', 'expired', young),
        await seedInState(h, 't', 'failed', young),
        // Changed long ago but expiring inside the window: SFS may honour it until then.
        await seedInState(h, 't', 'expired', old, 35 * DAY),
      ];
      expect(await store.purgeDeadTokens(before, 100)).toBe(3);
      expect(await remaining(h, 't')).toEqual(kept.map((t) => t.id).sort());
      expect(gone.every((t) => !kept.includes(t))).toBe(true);
    });

    it('never deletes active or revoking rows, nor rows with an outbox row, however old', async () => {
      const rows = [
        await seedInState(h, 't', 'active', old),
        await seedInState(h, 't', 'revoking', old),
        await seedInState(h, 't', 'revoking-gave-up', old),
        await seedInState(h, 't', 'failed-with-failed-outbox', old),
      ];
      const [failed] = await h.sql<{ status: string; outbox: string }>(
        `SELECT t.status, o.status AS outbox FROM sfs_client_token t
         JOIN sfs_token_revocation o ON o.token_id = t.id WHERE t.id = $1`,
        [rows[3].id],
      );
      expect(failed).toEqual({ status: 'failed', outbox: 'failed' });
      expect(await store.purgeDeadTokens(at(400 * DAY), 100)).toBe(0);
      expect(await remaining(h, 't')).toEqual(rows.map((t) => t.id).sort());
    });

    it('deletes a chain of replaced rows oldest first, one batch or several', async () => {
      const chain = await seedChain(h, 't', 3, old);
      expect(await store.purgeDeadTokens(before, 1)).toBe(1);
      expect(await remaining(h, 't')).toEqual(chain.slice(1).sort());
      expect(await store.purgeDeadTokens(before, 5)).toBe(2);
      expect(await remaining(h, 't')).toEqual([]);
    });

    it('keeps a row that a row which must stay references (replaced_by untouched)', async () => {
      const [first, second] = await seedChain(h, 't', 2, old);
      // The replaced row may still be live at SFS: its revocation is pending.
      await h.outbox.requestRevocation({ tenantId: 't', tokenId: first }, 'logout', 'host', at(0));
      expect(await store.purgeDeadTokens(before, 100)).toBe(0);
      const [row] = await h.sql<{ replaced_by: string }>(
        'SELECT replaced_by FROM sfs_client_token WHERE id = $1',
        [first],
      );
      expect(row.replaced_by).toBe(second);
    });

    it('deletes in batches of at most `limit`', async () => {
      for (let i = 0; i < 5; i++) await seedInState(h, 't', 'revoked', old);
      const batches = [];
      for (let n = -1; n !== 0;) batches.push((n = await store.purgeDeadTokens(before, 2)));
      expect(batches).toEqual([2, 2, 1, 0]);
    });

    it('skips rows another transaction holds instead of waiting for them', async () => {
      const rows = [];
      for (let i = 0; i < 3; i++) rows.push(await seedInState(h, 't', 'expired', old));
      const lock = await lockRows([rows[1].id]);
      try {
        expect(await store.purgeDeadTokens(before, 100)).toBe(2);
      } finally {
        await lock.release();
      }
      expect(await remaining(h, 't')).toEqual([rows[1].id]);
      expect(await store.purgeDeadTokens(before, 100)).toBe(1);
    });

    it('leaves a row whose referencing row another transaction holds, without waiting', async () => {
      const [first, second] = await seedChain(h, 't', 2, old);
      const lock = await lockRows([first]);
      try {
        // Deleting `second` would have to null `first.replaced_by`, which is locked.
        expect(await store.purgeDeadTokens(before, 100)).toBe(0);
      } finally {
        await lock.release();
      }
      expect(await remaining(h, 't')).toEqual([first, second].sort());
      expect(await store.purgeDeadTokens(before, 100)).toBe(2);
    });

    it('two instances purging at once split the rows: no error, each row deleted once', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push(...(await seedChain(h, 't', 4, old)));
      for (let i = 0; i < 8; i++) ids.push((await seedInState(h, 't', 'revoked', old)).id);
      const other = await openDataSource(h.db.url);
      try {
        const second = new SfsTokenRetentionStore(other);
        const purgeAll = async (s: SfsTokenRetentionStore) => {
          let total = 0;
          for (let n = -1; n !== 0;) total += n = await s.purgeDeadTokens(before, 3);
          return total;
        };
        const [a, b] = await Promise.all([purgeAll(store), purgeAll(second)]);
        expect(a + b).toBe(ids.length);
        expect(await remaining(h, 't')).toEqual([]);
      } finally {
        await other.destroy();
      }
    });

    it('finds old dead rows and old events through indexes, not by scanning the tables', async () => {
      const runner = h.dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        // An empty table makes any plan cheap; forbidding scans shows an index serves each query.
        await runner.query('SET LOCAL enable_seqscan = off');
        const plan = async (query: string) =>
          ((await runner.query(`EXPLAIN ${query}`, [before])) as Array<Record<string, string>>)
            .map((row) => row['QUERY PLAN'])
            .join('\n');
        expect(
          await plan(`SELECT id FROM sfs_client_token WHERE status IN ('revoked', 'expired', 'failed')
                      AND created_at < $1 ORDER BY created_at LIMIT 10`),
        ).toContain('ix_sfs_client_token_dead_created');
        expect(
          await plan('SELECT id FROM sfs_token_event WHERE at < $1 ORDER BY at LIMIT 10'),
        ).toContain('ix_sfs_token_event_at');
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });
  });

  describe('purgeEvents', () => {
    it('deletes events before the window in batches, never one at or after it', async () => {
      const token = { tenantId: 't', id: '00000000-0000-4000-8000-000000000001' };
      await h.appendEvents([
        eventFor(token, 'issued', 1 * DAY),
        eventFor(token, 'refreshed', 2 * DAY),
        eventFor(token, 'refreshed', 3 * DAY),
        eventFor(token, 'revoke_requested', 30 * DAY),
        eventFor(token, 'revoked', 31 * DAY),
      ]);
      expect(await store.purgeEvents(before, 2)).toBe(2);
      expect(await store.purgeEvents(before, 2)).toBe(1);
      expect(await store.purgeEvents(before, 2)).toBe(0);
      const left = await h.sql<{ type: string }>('SELECT type FROM sfs_token_event ORDER BY at');
      expect(left.map((e) => e.type)).toEqual(['revoke_requested', 'revoked']);
    });
  });

  describe('purgeIdleLeases', () => {
    const key = (subjectId: string) => ({ tenantId: 't', clientKey: 'c', subjectId });
    const setUpdated = (subjectKey: string, when: Date) =>
      h.sql('UPDATE sfs_token_key_lease SET updated_at = $2 WHERE subject_key = $1', [
        subjectKey,
        when,
      ]);

    it('deletes free leases unclaimed since the window, never a held or a recent one', async () => {
      for (const subject of ['idle-1', 'idle-2', 'recent']) {
        const claim = await h.leases.claimKey(key(subject), 'owner-a', old, 60_000);
        await h.leases.releaseKey(claim.lease!);
      }
      // Held since long ago (its holder may still record): never purged, even when its lease ran out.
      await h.leases.claimKey(key('held'), 'owner-a', old, 60_000);
      await setUpdated('idle-1', old);
      await setUpdated('idle-2', old);
      await setUpdated('held', old);
      await setUpdated('recent', young);
      expect(await store.purgeIdleLeases(before, 1)).toBe(1);
      expect(await store.purgeIdleLeases(before, 1)).toBe(1);
      expect(await store.purgeIdleLeases(before, 1)).toBe(0);
      const left = await h.sql<{ subject_key: string }>(
        'SELECT subject_key FROM sfs_token_key_lease ORDER BY subject_key',
      );
      expect(left.map((r) => r.subject_key)).toEqual(['held', 'recent']);
    });

    it('a key claimed again after its row was purged gets a fence above every earlier one', async () => {
      const first = await h.leases.claimKey(key('u'), 'owner-a', old, 60_000);
      await h.leases.releaseKey(first.lease!);
      const second = await h.leases.claimKey(key('u'), 'owner-a', old, 60_000);
      await h.leases.releaseKey(second.lease!);
      await setUpdated('u', old);
      expect(await store.purgeIdleLeases(before, 10)).toBe(1);
      const third = await h.leases.claimKey(key('u'), 'owner-a', young, 60_000);
      expect(BigInt(third.lease!.fence)).toBeGreaterThan(BigInt(second.lease!.fence));
      expect(BigInt(second.lease!.fence)).toBeGreaterThan(BigInt(first.lease!.fence));
      // The holder of the purged row's last fence cannot record over the new claim.
      await h.leases.releaseKey(second.lease!);
      const [row] = await h.sql<{ lease_owner: string | null; fence: string }>(
        'SELECT lease_owner, fence FROM sfs_token_key_lease',
      );
      expect(row).toEqual({ lease_owner: 'owner-a', fence: third.lease!.fence });
    });
  });
});
