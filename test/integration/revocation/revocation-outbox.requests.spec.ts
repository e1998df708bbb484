import {
  outboxRows,
  eventsOfType,
  at,
  useHarness,
  seedKey,
  eventFor,
  newRecord,
} from '../persistence/persistence-harness';

/** Contract of SfsRevocationOutbox, the requesting side (which rows a revocation covers). */
describe('SfsRevocationOutbox: requests', () => {
  const h = useHarness('store_revoke');
  const t = 'tenant-r';

  const seed = (subjectId: string | null, clientKey = 'client-a', tenantId = t, issued = 0) =>
    seedKey(h, { tenantId, subjectId, clientKey }, issued);
  /** A refreshed key: the old row expired+replaced (live until its expiry), the new one active. */
  async function refreshed(subjectId: string, issued: number) {
    const old = await seed(subjectId, 'client-a', t, issued);
    const next = newRecord({ tenantId: t, subjectId }, { issued: issued + 3000 });
    await h.replaceToken(old, next, []);
    return { old, next };
  }
  const statusOf = async (id: string) => (await h.serving.findById(t, id))?.status;
  const outbox = () => outboxRows(h);
  const events = (type: string) => eventsOfType(h, type);

  describe('requestRevocation', () => {
    it('covers active and still-live replaced rows, not dead ones, nor other tenants', async () => {
      const shared = await seed(null);
      const live = await refreshed('u-live', 0); // old expires at 3600 > now
      const dead = await refreshed('u-dead', -4000); // old expired at -400 < now
      const expired = await seed('u-exp');
      await h.refresh.markExpired(expired.id, 0, eventFor(expired, 'expired'));
      const other = await seed(null, 'client-a', 'tenant-other');

      const ids = await h.outbox.requestRevocation(
        { tenantId: t },
        'offboarded',
        'admin:ops',
        at(3500),
      );
      expect(ids).toEqual([shared.id, live.old.id, live.next.id, dead.next.id].sort());
      for (const id of ids) expect(await statusOf(id)).toBe('revoking');
      expect(await statusOf(dead.old.id)).toBe('expired');
      expect(await statusOf(expired.id)).toBe('expired');
      expect((await h.serving.findById('tenant-other', other.id))?.status).toBe('active');
      expect((await h.serving.findById(t, shared.id))?.revokeReason).toBe('offboarded');

      expect(await outbox()).toEqual(
        ids.map((id) =>
          expect.objectContaining({
            token_id: id,
            tenant_id: t,
            status: 'pending',
            attempts: 0,
            next_attempt_at: at(3500),
            reason: 'offboarded',
            actor: 'admin:ops',
            requested_at: at(3500),
            version: 0,
          }),
        ),
      );
      expect(await events('revoke_requested')).toEqual(
        ids.map((id) => ({ token_id: id, actor: 'admin:ops', reason: 'offboarded', at: at(3500) })),
      );
    });

    it('is idempotent: a second request finds nothing and writes nothing', async () => {
      await seed(null);
      expect(await h.outbox.requestRevocation({ tenantId: t }, 'r', 'host', at(10))).toHaveLength(
        1,
      );
      expect(await h.outbox.requestRevocation({ tenantId: t }, 'r', 'host', at(11))).toEqual([]);
      expect(await outbox()).toHaveLength(1);
      expect(await events('revoke_requested')).toHaveLength(1);
    });

    it('narrows by token, client and subject (undefined subject = any)', async () => {
      const a = await seed('u1', 'client-a');
      const b = await seed('u1', 'client-b');
      const c = await seed('u2', 'client-a');
      const d = await seed(null, 'client-a');
      const revoke = (filter: object) =>
        h.outbox.requestRevocation({ tenantId: t, ...filter }, 'r', 'host', at(10));
      expect(await revoke({ tokenId: 'garbage' })).toEqual([]);
      expect(await revoke({ tokenId: c.id })).toEqual([c.id]);
      expect(await revoke({ subjectId: 'u1', clientKey: 'client-b' })).toEqual([b.id]);
      expect(await revoke({ clientKey: 'client-a' })).toEqual([a.id, d.id].sort());
    });
  });
});
