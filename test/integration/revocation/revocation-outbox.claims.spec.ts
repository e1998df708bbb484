import {
  at,
  useHarness,
  outboxRows,
  eventsOfType,
  seedKey,
  eventFor,
  plaintextOf,
  cipher,
} from '../persistence/persistence-harness';

/** Contract of SfsRevocationOutbox, the worker's side (claim, confirm, fail, retry). */
describe('SfsRevocationOutbox: claims and outcomes', () => {
  const h = useHarness('store_outbox');
  const t = 'tenant-r';

  const seed = (subjectId: string | null, clientKey = 'client-a', tenantId = t, issued = 0) =>
    seedKey(h, { tenantId, subjectId, clientKey }, issued);
  const statusOf = async (id: string) => (await h.serving.findById(t, id))?.status;
  const outbox = () => outboxRows(h);
  const events = (type: string) => eventsOfType(h, type);

  describe('claimDueRevocations', () => {
    it('claims due pending rows with their token material, under a lease', async () => {
      const a = await seed('u1');
      await h.outbox.requestRevocation({ tenantId: t }, 'logout', 'host', at(100));
      expect(await h.outbox.claimDueRevocations('w1', at(99), 30_000, 10)).toEqual([]);
      const [work] = await h.outbox.claimDueRevocations('w1', at(100), 30_000, 10);
      expect(work).toMatchObject({
        tokenId: a.id,
        tenantId: t,
        clientKey: 'client-a',
        subjectId: 'u1',
        sealed: a.sealed,
        tokenExpiresAt: a.expiresAt,
        attempts: 0,
        version: 1,
        reason: 'logout',
        actor: 'host',
        requestedAt: at(100),
      });
      expect(cipher.open(work.sealed!, { tenantId: t, tokenId: a.id })).toBe(plaintextOf(a.id));
      expect(await h.outbox.claimDueRevocations('w2', at(129), 30_000, 10)).toEqual([]);
      expect(await h.outbox.claimDueRevocations('w2', at(131), 30_000, 10)).toMatchObject([
        { id: work.id, version: 2 },
      ]);
    });
  });

  describe('confirmRevocation', () => {
    it('deletes the outbox row, marks the token revoked at the event time and wipes it', async () => {
      const a = await seed('u1');
      await h.outbox.requestRevocation({ tenantId: t }, 'logout', 'host', at(100));
      const [work] = await h.outbox.claimDueRevocations('w', at(100), 30_000, 10);
      expect(
        await h.outbox.confirmRevocation(work.id, work.version, eventFor(a, 'revoked', 105)),
      ).toBe(true);
      expect(await outbox()).toEqual([]);
      expect(await h.serving.findById(t, a.id)).toMatchObject({
        status: 'revoked',
        revokedAt: at(105),
        sealed: null,
        revokeReason: 'logout',
      });
      expect((await events('revoked')).map((e) => e.token_id)).toEqual([a.id]);
    });
    it('confirms revocations made at the same time in shared statements, each with its outcome', async () => {
      const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => seed(`u${i}`)));
      await h.outbox.requestRevocation({ tenantId: t }, 'logout', 'host', at(100));
      const work = await h.outbox.claimDueRevocations('w', at(100), 30_000, 10);
      const byToken = new Map(work.map((w) => [w.tokenId, w]));
      const logger = h.dataSource.logger;
      const logQuery = logger.logQuery.bind(logger);
      let statements = 0;
      logger.logQuery = (query, ...rest) => {
        if (query.includes('DELETE FROM sfs_token_revocation')) statements++;
        return logQuery(query, ...rest);
      };
      let confirmed: boolean[];
      try {
        // The last one's version moved on (another instance's write won): it changes nothing.
        confirmed = await Promise.all(
          tokens.map((token, i) => {
            const w = byToken.get(token.id)!;
            return h.outbox.confirmRevocation(
              w.id,
              i === 9 ? w.version + 1 : w.version,
              eventFor(token, 'revoked', 105 + i),
            );
          }),
        );
      } finally {
        logger.logQuery = logQuery;
      }
      expect(confirmed).toEqual([...Array(9).fill(true), false]);
      // The first lingers for the others (revocation.outbox.ts): all ten share one statement.
      expect(statements).toBe(1);
      for (let i = 0; i < 9; i++) {
        expect(await h.serving.findById(t, tokens[i].id)).toMatchObject({
          status: 'revoked',
          revokedAt: at(105 + i),
          sealed: null,
        });
      }
      expect(await statusOf(tokens[9].id)).toBe('revoking');
      expect((await outbox()).map((r) => r.token_id)).toEqual([tokens[9].id]);
      expect((await events('revoked')).map((e) => e.token_id).sort()).toEqual(
        tokens
          .slice(0, 9)
          .map((x) => x.id)
          .sort(),
      );
    });
  });

  describe('recordRevocationFailure', () => {
    it('retries later on a transient failure, gives up on a permanent one', async () => {
      const a = await seed('u1');
      await h.outbox.requestRevocation({ tenantId: t }, 'logout', 'host', at(100));
      let [work] = await h.outbox.claimDueRevocations('w', at(100), 30_000, 10);
      const transient = { error: 'SFS_UNAVAILABLE', nextAttemptAt: at(160), permanent: false };
      expect(
        await h.outbox.recordRevocationFailure(
          work.id,
          work.version,
          transient,
          eventFor(a, 'revoke_failed'),
        ),
      ).toBe(true);
      expect(await outbox()).toEqual([
        expect.objectContaining({
          status: 'pending',
          attempts: 1,
          next_attempt_at: at(160),
          last_error: 'SFS_UNAVAILABLE',
          lease_owner: null,
          lease_expires_at: null,
        }),
      ]);
      expect(await h.outbox.claimDueRevocations('w', at(159), 30_000, 10)).toEqual([]);
      [work] = await h.outbox.claimDueRevocations('w', at(160), 30_000, 10);
      expect(work.attempts).toBe(1);
      const permanent = { error: 'SFS_TOKEN_REJECTED', nextAttemptAt: null, permanent: true };
      expect(
        await h.outbox.recordRevocationFailure(
          work.id,
          work.version,
          permanent,
          eventFor(a, 'revoke_failed'),
        ),
      ).toBe(true);
      expect(await outbox()).toEqual([
        expect.objectContaining({ status: 'failed', attempts: 2, next_attempt_at: at(160) }),
      ]);
      expect(await h.outbox.claimDueRevocations('w', at(9999), 30_000, 10)).toEqual([]);
      expect(await statusOf(a.id)).toBe('revoking');
    });
  });

  describe('retryFailedRevocations', () => {
    async function failAll(now: number) {
      for (const work of await h.outbox.claimDueRevocations('w', at(now), 30_000, 100)) {
        const f = { error: 'x', nextAttemptAt: null, permanent: true };
        await h.outbox.recordRevocationFailure(
          work.id,
          work.version,
          f,
          eventFor({ tenantId: work.tenantId, id: work.tokenId }, 'revoke_failed'),
        );
      }
    }

    it('puts failed rows of a tenant (or one token) back to pending, due now, with a fresh budget', async () => {
      const a = await seed('u1');
      const b = await seed('u2');
      const other = await seed('u1', 'client-a', 'tenant-other');
      await h.outbox.requestRevocation({ tenantId: t }, 'r', 'host', at(10));
      await h.outbox.requestRevocation({ tenantId: 'tenant-other' }, 'r', 'host', at(10));
      await failAll(10);
      expect(await h.outbox.retryFailedRevocations(t, at(50), 'admin:ops', 'not-a-uuid')).toBe(0);
      expect(await h.outbox.retryFailedRevocations(t, at(50), 'admin:ops', a.id)).toBe(1);
      expect(await h.outbox.retryFailedRevocations(t, at(60), 'admin:ops')).toBe(1);
      expect(await h.outbox.retryFailedRevocations(t, at(60), 'admin:ops')).toBe(0);
      const rows = await outbox();
      const byToken = (id: string) => rows.find((r) => r.token_id === id);
      expect(byToken(a.id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        next_attempt_at: at(50),
      });
      expect(byToken(b.id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        next_attempt_at: at(60),
      });
      expect(byToken(other.id)).toMatchObject({ status: 'failed' });
      expect(await events('revoke_retried')).toEqual(
        [
          { token_id: a.id, at: at(50) },
          { token_id: b.id, at: at(60) },
        ]
          .sort((x, y) => x.token_id.localeCompare(y.token_id))
          .map((e) => ({ ...e, actor: 'admin:ops', reason: null })),
      );
    });
  });
});
