import { SfsTokenReadModel } from '../../../src/sfs-auth/admin/token-read.model';
import type { SfsTokenListQuery } from '../../../src/sfs-auth/admin/token-read.types';
import type { SfsTokenRecord } from '../../../src/sfs-auth/model/token-record';
import { at, useHarness, driveTo, eventFor, seedKey } from '../persistence/persistence-harness';

/** Listings of the read model: keyset paging, filters and tenant scoping on real PostgreSQL. */
describe('SfsTokenReadModel: listings', () => {
  const h = useHarness('read_list');
  let reads: SfsTokenReadModel;
  const t = 'tenant-l';
  const other = 'tenant-other';
  beforeAll(async () => {
    reads = new SfsTokenReadModel(h.dataSource);
  });

  const seed = (subjectId: string | null, clientKey = 'client-a', tenantId = t) =>
    seedKey(h, { tenantId, clientKey, subjectId });
  const createdAt = (token: SfsTokenRecord, iso: string) =>
    h.sql('UPDATE sfs_client_token SET created_at = $2 WHERE id = $1', [token.id, iso]);
  /** Every page of a query, following `next` until it is null. */
  async function allPages(query: Omit<SfsTokenListQuery, 'after'>) {
    const pages: string[][] = [];
    let page = await reads.listTokens(query);
    pages.push(page.items.map((r) => r.id));
    while (page.next && pages.length < 10) {
      page = await reads.listTokens({ ...query, after: page.next });
      pages.push(page.items.map((r) => r.id));
    }
    return pages;
  }

  describe('listTokens', () => {
    it('pages newest first with no gap or repeat across equal and same-millisecond times', async () => {
      const newest = await seed('u0');
      const tied = [await seed('u1'), await seed('u2'), await seed('u3'), await seed('u4')];
      const sameMs = await seed('u5');
      const oldest = await seed('u6');
      await seed('u-other', 'client-a', other);
      await createdAt(newest, '2026-01-01T00:00:05Z');
      for (const token of tied) await createdAt(token, '2026-01-01T00:00:04.123456Z');
      // Same millisecond as the tie, earlier microsecond: lost if the cursor kept milliseconds only.
      await createdAt(sameMs, '2026-01-01T00:00:04.123001Z');
      await createdAt(oldest, '2026-01-01T00:00:03Z');

      const tiedByIdDesc = tied.map((r) => r.id).sort((a, b) => (a < b ? 1 : -1));
      const first = await reads.listTokens({ tenantId: t, limit: 3 });
      expect(first.next).toEqual({ createdAt: '2026-01-01T00:00:04.123456Z', id: tiedByIdDesc[1] });
      expect(await allPages({ tenantId: t, limit: 3 })).toEqual([
        [newest.id, tiedByIdDesc[0], tiedByIdDesc[1]],
        [tiedByIdDesc[2], tiedByIdDesc[3], sameMs.id],
        [oldest.id],
      ]);
    });

    it('returns whole records and no next position when everything fits', async () => {
      const only = await seed('u1');
      expect(await reads.listTokens({ tenantId: t, limit: 1 })).toEqual({
        items: [only],
        next: null,
      });
      expect(await reads.listTokens({ tenantId: 'tenant-empty', limit: 5 })).toEqual({
        items: [],
        next: null,
      });
    });

    it('filters by status, client key and subject, alone and combined, and pages within them', async () => {
      const a1 = await seed('u1', 'client-a');
      const a2 = await seed('u2', 'client-a');
      const b1 = await seed('u1', 'client-b');
      const bShared = await seed(null, 'client-b');
      await driveTo(h, a2, 'revoking');
      await seed('u1', 'client-a', other);
      const ids = async (query: Omit<SfsTokenListQuery, 'tenantId' | 'limit'>) =>
        (await allPages({ tenantId: t, limit: 1, ...query })).flat().sort();

      expect(await ids({ status: 'revoking' })).toEqual([a2.id]);
      expect(await ids({ status: 'active' })).toEqual([a1.id, b1.id, bShared.id].sort());
      expect(await ids({ clientKey: 'client-b' })).toEqual([b1.id, bShared.id].sort());
      expect(await ids({ subjectId: 'u1' })).toEqual([a1.id, b1.id].sort());
      expect(await ids({ clientKey: 'client-a', subjectId: 'u1' })).toEqual([a1.id]);
      expect(await ids({ status: 'expired' })).toEqual([]);
    });

    it("never shows another tenant's rows, even from a position taken in that tenant", async () => {
      const mine = await seed('u1');
      const theirs = await seed('u1', 'client-a', other);
      await createdAt(mine, '2026-01-01T00:00:01Z');
      await createdAt(theirs, '2026-01-01T00:00:02Z');
      const after = { createdAt: '2026-01-01T00:00:09Z', id: theirs.id };
      for (const query of [{}, { subjectId: 'u1' }, { clientKey: 'client-a' }, { after }]) {
        const page = await reads.listTokens({ tenantId: t, limit: 10, ...query });
        expect(page.items.map((r) => r.id)).toEqual([mine.id]);
      }
    });

    it.each([
      ['an impossible date', { createdAt: '2026-02-30T00:00:00Z' }],
      ['a non-ISO time', { createdAt: 'yesterday' }],
      ['a time without zone', { createdAt: '2026-01-01T00:00:00' }],
      ['year zero', { createdAt: '0000-01-01T00:00:00Z' }],
      ['a malformed id', { id: 'not-a-uuid' }],
    ])('answers an empty page for a position with %s', async (_, change) => {
      await seed('u1');
      const after = { createdAt: '2026-01-02T00:00:00Z', id: (await seed('u2')).id, ...change };
      expect(await reads.listTokens({ tenantId: t, limit: 5, after })).toEqual({
        items: [],
        next: null,
      });
    });
  });

  describe('listEvents', () => {
    it("pages a tenant's events newest first, by token or not, never another tenant's", async () => {
      const a = await seed('u1');
      const b = await seed('u2');
      const theirs = await seed('u1', 'client-a', other);
      for (let i = 0; i < 3; i++) {
        await h.appendEvents([eventFor(a, 'issued', i), eventFor(theirs, 'issued', i)]);
        await h.appendEvents([eventFor(b, 'refreshed', i, { detail: { n: i } })]);
      }
      await h.appendEvents([{ ...eventFor(a, 'key_rotated', 9), tokenId: null }]);
      const mine = await h.sql<{ id: string }>(
        'SELECT id FROM sfs_token_event WHERE tenant_id = $1 ORDER BY id DESC',
        [t],
      );
      const pages: string[][] = [];
      let afterId: string | undefined;
      do {
        const page = await reads.listEvents({ tenantId: t, limit: 3, afterId });
        pages.push(page.map((e) => e.id));
        afterId = page.length === 3 ? page[2].id : undefined;
      } while (afterId);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(mine.map((r) => r.id));

      const [rotated, lastOfB] = await reads.listEvents({ tenantId: t, limit: 2 });
      expect(rotated).toEqual({
        id: mine[0].id,
        tenantId: t,
        tokenId: null,
        type: 'key_rotated',
        actor: 'system',
        reason: null,
        at: at(9),
      });
      expect(lastOfB).toMatchObject({
        tokenId: b.id,
        type: 'refreshed',
        detail: { n: 2 },
        at: at(2),
      });
      const ofA = await reads.listEvents({ tenantId: t, tokenId: a.id, limit: 10 });
      expect(ofA.map((e) => [e.type, e.at])).toEqual([2, 1, 0].map((i) => ['issued', at(i)]));
      expect(await reads.listEvents({ tenantId: t, tokenId: theirs.id, limit: 10 })).toEqual([]);
    });

    it.each([
      ['a non-numeric position', { afterId: 'abc' }],
      ['a position beyond bigint', { afterId: '99999999999999999999' }],
      ['a malformed token id', { tokenId: 'nope' }],
      ['a zero limit', { limit: 0 }],
    ])('answers no events for %s', async (_, change) => {
      const a = await seed('u1');
      await h.appendEvents([eventFor(a, 'issued')]);
      expect(await reads.listEvents({ tenantId: t, limit: 5, ...change })).toEqual([]);
    });
  });
});
