import { SfsTokenConflictError } from '../../../src/sfs-auth/persistence/token-conflict.error';
import {
  at,
  cipher,
  createHarness,
  eventsOf as trailOf,
  seedToken,
  eventFor,
  newRecord,
  plaintextOf,
  snapshot,
  truncate,
  type PersistenceHarness,
} from './persistence-harness';

/** Contract of the token-row methods of SfsTokenStore (TypeORM adapter, real PostgreSQL). */
describe('TypeOrmSfsTokenStore: tokens', () => {
  let h: PersistenceHarness;
  let tenant = 0;
  let t: string;
  beforeAll(async () => {
    h = await createHarness('store_tokens');
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    t = `tenant-${++tenant}`;
    await truncate(h);
  });

  const seed = (options: Parameters<typeof newRecord>[1] = {}, subjectId?: string) =>
    seedToken(h, t, options, subjectId);
  const eventsOf = (tokenId: string) => trailOf(h, tokenId);

  describe('insertToken / findActive / findById', () => {
    it('stores an active token as given and finds it by key and by id', async () => {
      const record = newRecord({ tenantId: t });
      await h.store.insertToken(record, [eventFor(record, 'issued')]);
      const found = await h.store.findActive({
        tenantId: t,
        clientKey: 'client-a',
        subjectId: null,
      });
      expect(found).toMatchObject({
        id: record.id,
        status: 'active',
        sealed: record.sealed,
        issuedAt: record.issuedAt,
        sessionStartedAt: record.sessionStartedAt,
        version: 0,
        attempts: 0,
        replacedBy: null,
      });
      expect(cipher.open(found!.sealed!, { tenantId: t, tokenId: record.id })).toBe(
        plaintextOf(record.id),
      );
      expect(await h.store.findById(t, record.id)).toEqual(found);
      expect(await eventsOf(record.id)).toEqual([
        { type: 'issued', actor: 'system', reason: null, detail: null },
      ]);
    });

    it('keeps subjects apart and returns null for another tenant or a malformed id', async () => {
      const shared = await seed();
      const user = await seed({}, 'user-1');
      expect(
        (await h.store.findActive({ tenantId: t, clientKey: 'client-a', subjectId: 'user-1' }))?.id,
      ).toBe(user.id);
      expect(
        (await h.store.findActive({ tenantId: t, clientKey: 'client-a', subjectId: null }))?.id,
      ).toBe(shared.id);
      expect(
        await h.store.findActive({ tenantId: t, clientKey: 'client-b', subjectId: null }),
      ).toBeNull();
      expect(await h.store.findById('other', shared.id)).toBeNull();
      expect(await h.store.findById(t, 'not-a-uuid')).toBeNull();
    });

    it('gives a token born revoking its outbox row, due at once', async () => {
      const record = newRecord({ tenantId: t }, { status: 'revoking', revokeReason: 'lost race' });
      await h.store.insertToken(record, [
        eventFor(record, 'revoke_requested', 0, { actor: 'event' }),
      ]);
      const outbox = await h.sql(`SELECT * FROM sfs_token_revocation WHERE token_id = $1`, [
        record.id,
      ]);
      expect(outbox).toEqual([
        expect.objectContaining({
          status: 'pending',
          next_attempt_at: record.issuedAt,
          reason: 'lost race',
          actor: 'event',
          attempts: 0,
        }),
      ]);
    });

    it('refuses a second active token for a key with SfsTokenConflictError, writing nothing', async () => {
      await seed();
      const before = await snapshot(h);
      const second = newRecord({ tenantId: t });
      await expect(
        h.store.insertToken(second, [eventFor(second, 'issued')]),
      ).rejects.toBeInstanceOf(SfsTokenConflictError);
      expect(await snapshot(h)).toEqual(before);
    });
  });

  describe('withKeyLock → tx.insertToken with retire', () => {
    it('retires the previous token and links it to its replacement', async () => {
      const old = await seed();
      const next = newRecord({ tenantId: t }, { issued: 10 });
      const stored = await h.store.withKeyLock(old, async (tx) => {
        expect((await tx.findActive(old))?.id).toBe(old.id);
        return tx.insertToken(next, [eventFor(next, 'refreshed', 10)], old);
      });
      expect(stored).toBe(true);
      expect(await h.store.findById(t, old.id)).toMatchObject({
        status: 'expired',
        replacedBy: next.id,
        version: 1,
        sealed: old.sealed,
      });
      expect((await h.store.findActive(old))?.id).toBe(next.id);
    });

    it('returns false and writes nothing when the retired row left service; the tx stays usable', async () => {
      const old = await seed();
      const next = newRecord({ tenantId: t }, { issued: 10 });
      await h.store.requestRevocation(
        { tenantId: t, tokenId: old.id },
        'logout',
        'test',
        new Date(5),
      );
      const before = await snapshot(h);
      const result = await h.store.withKeyLock(old, async (tx) => {
        const stored = await tx.insertToken(next, [], { id: old.id });
        const still = await tx.findActive(old);
        return { stored, still: still?.id ?? null };
      });
      expect(result).toEqual({ stored: false, still: null });
      expect(await snapshot(h)).toEqual(before);
    });

    it('replaces a row the worker marked expired meanwhile (only a revocation makes the mint lose)', async () => {
      const old = await seed();
      const next = newRecord({ tenantId: t }, { issued: 10 });
      const stored = await h.store.withKeyLock(old, async (tx) => {
        expect((await tx.findActive(old))?.id).toBe(old.id);
        await h.store.markExpired(old.id, old.version, eventFor(old, 'expired'));
        return tx.insertToken(next, [], { id: old.id });
      });
      expect(stored).toBe(true);
      expect(await h.store.findById(t, old.id)).toMatchObject({
        status: 'expired',
        replacedBy: next.id,
        sealed: null,
      });
      expect((await h.store.findActive(old))?.id).toBe(next.id);
    });

    it("retires a row a worker has just claimed (the claim bumps the version, not the row's service)", async () => {
      const old = await seed({ refreshIn: -1 });
      const [claimed] = await h.store.claimDueRefreshes('worker-a', at(1), 60_000, 10);
      expect(claimed).toMatchObject({ id: old.id, version: old.version + 1 });
      const next = newRecord({ tenantId: t }, { issued: 10 });
      const stored = await h.store.withKeyLock(old, (tx) =>
        tx.insertToken(next, [], { id: old.id }),
      );
      expect(stored).toBe(true);
      expect(await h.store.findById(t, old.id)).toMatchObject({
        status: 'expired',
        replacedBy: next.id,
      });
    });
  });
});
