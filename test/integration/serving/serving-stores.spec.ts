import { SfsTokenConflictError } from '../../../src/sfs-auth/errors/sfs-auth.error';
import { sfsActiveRowStatement } from '../../../src/sfs-auth/persistence/token.queries';
import {
  at,
  cipher,
  useHarness,
  eventsOf as trailOf,
  seedToken,
  eventFor,
  newRecord,
  plaintextOf,
  snapshot,
} from '../persistence/persistence-harness';

/** Contract of SfsServingStore and SfsKeyLeaseStore (TypeORM adapters, real PostgreSQL). */
describe('TypeOrm serving and key-lease stores', () => {
  const h = useHarness('store_tokens');
  let tenant = 0;
  let t: string;
  beforeEach(async () => {
    t = `tenant-${++tenant}`;
  });

  const seed = (options: Parameters<typeof newRecord>[1] = {}, subjectId?: string) =>
    seedToken(h, t, options, subjectId);
  const eventsOf = (tokenId: string) => trailOf(h, tokenId);

  describe('insertToken / findActive / findById', () => {
    it('stores an active token as given and finds it by key and by id', async () => {
      const record = newRecord({ tenantId: t });
      await h.insertToken(record, [eventFor(record, 'issued')]);
      const found = await h.serving.findActive({
        tenantId: t,
        clientKey: 'client-a',
        subjectId: null,
      });
      // The serving read: what tells whether the row may be served, and the token to open.
      expect(found).toEqual({
        id: record.id,
        tenantId: t,
        status: 'active',
        sealed: record.sealed,
        issuedAt: record.issuedAt,
        expiresAt: record.expiresAt,
      });
      expect(cipher.open(found!.sealed!, { tenantId: t, tokenId: record.id })).toBe(
        plaintextOf(record.id),
      );
      expect(await h.serving.findById(t, record.id)).toMatchObject({
        ...found,
        clientKey: 'client-a',
        subjectId: null,
        sessionStartedAt: record.sessionStartedAt,
        version: 0,
        attempts: 0,
        replacedBy: null,
      });
      expect(await eventsOf(record.id)).toEqual([
        { type: 'issued', actor: 'system', reason: null, detail: null },
      ]);
    });

    it('keeps subjects apart and returns null for another tenant or a malformed id', async () => {
      const shared = await seed();
      const user = await seed({}, 'user-1');
      expect(
        (await h.serving.findActive({ tenantId: t, clientKey: 'client-a', subjectId: 'user-1' }))
          ?.id,
      ).toBe(user.id);
      expect(
        (await h.serving.findActive({ tenantId: t, clientKey: 'client-a', subjectId: null }))?.id,
      ).toBe(shared.id);
      expect(
        await h.serving.findActive({ tenantId: t, clientKey: 'client-b', subjectId: null }),
      ).toBeNull();
      expect(await h.serving.findById('other', shared.id)).toBeNull();
      expect(await h.serving.findById(t, 'not-a-uuid')).toBeNull();
    });

    it('gives a token born revoking its outbox row, due at once', async () => {
      const record = newRecord({ tenantId: t }, { status: 'revoking', revokeReason: 'lost race' });
      await h.insertToken(record, [eventFor(record, 'revoke_requested', 0, { actor: 'event' })]);
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
      await expect(h.insertToken(second, [eventFor(second, 'issued')])).rejects.toBeInstanceOf(
        SfsTokenConflictError,
      );
      expect(await snapshot(h)).toEqual(before);
    });

    it('reads a key through the active-key index when the statistics predate its tenant', async () => {
      // Copies of one seeded row: `rows` active tokens of `tenantId`, one subject each.
      const copies = (template: string, tenantId: string, rows: number) =>
        h.sql(
          `INSERT INTO sfs_client_token (id, tenant_id, client_key, subject_id, status,
             token_ciphertext, token_key_id, fingerprint, issued_at, expires_at, refresh_at,
             session_started_at)
           SELECT gen_random_uuid(), $2, client_key, 'user-' || g, status, token_ciphertext,
             token_key_id, fingerprint, issued_at, expires_at, refresh_at, session_started_at
           FROM sfs_client_token, generate_series(1, $3::int) AS g WHERE id = $1`,
          [template, tenantId, rows],
        );
      const template = await seed();
      await copies(template.id, `${t}-big`, 3000);
      await h.sql('ANALYZE sfs_client_token');
      // Rows the statistics know nothing of (a tenant grown since the last ANALYZE).
      await copies(template.id, t, 600);
      const plan = await h.sql<{ 'QUERY PLAN': string }>(`EXPLAIN ${sfsActiveRowStatement('*')}`, [
        t,
        'client-a',
        'user-none',
      ]);
      expect(plan[0]['QUERY PLAN']).toMatch(/^Index Scan using ux_sfs_client_token_active_key /);
    });
  });

  describe('claimKey → recordMint with retire', () => {
    type Record = ReturnType<typeof newRecord>;
    type Key = Parameters<typeof h.leases.claimKey>[0] & { id: string };
    const lostOf = (next: Record) => ({
      record: { ...next, status: 'revoking' as const, revokeReason: 'lost' },
      events: [eventFor(next, 'revoke_requested', 10)],
    });
    const claim = async (key: Key, owner = 'me', now = 2) => {
      const got = await h.leases.claimKey(key, owner, at(now), 60_000);
      return got;
    };
    const record = async (
      lease: Awaited<ReturnType<typeof claim>>['lease'],
      old: Key,
      next: Record,
    ) =>
      h.leases.recordMint(
        lease!,
        { record: next, events: [eventFor(next, 'refreshed', 10)], retire: { id: old.id } },
        lostOf(next),
      );

    it('retires the previous token, links it to its replacement and releases the lease', async () => {
      const old = await seed();
      const got = await claim(old);
      expect(got.current?.id).toBe(old.id);
      expect(got.lease).toMatchObject({ owner: 'me' });
      const next = newRecord({ tenantId: t }, { issued: 10 });
      expect(await record(got.lease, old, next)).toBe('stored');
      expect(await h.serving.findById(t, old.id)).toMatchObject({
        status: 'expired',
        replacedBy: next.id,
        version: 1,
        sealed: old.sealed,
      });
      expect((await h.serving.findActive(old))?.id).toBe(next.id);
      // Released: the next claim gets the key at once, with a newer fence.
      const again = await claim(old, 'other', 3);
      expect(again.lease).toMatchObject({ owner: 'other' });
      expect(BigInt(again.lease!.fence)).toBeGreaterThan(BigInt(got.lease!.fence));
    });

    it('a first mint over an unexpected active row throws SfsTokenConflictError and writes nothing', async () => {
      const old = await seed();
      const got = await claim(old);
      const before = await snapshot(h);
      const next = newRecord({ tenantId: t }, { issued: 10 });
      await expect(
        h.leases.recordMint(
          got.lease!,
          { record: next, events: [eventFor(next, 'issued', 10)] },
          lostOf(next),
        ),
      ).rejects.toBeInstanceOf(SfsTokenConflictError);
      // Rolled back as a whole: no row, no event, and the lease is still held by its claimant.
      expect(await snapshot(h)).toEqual(before);
      expect((await claim(old, 'other', 3)).lease).toBeNull();
    });

    it('claimKeys claims many keys in their order: a held key gets no lease, each sees its active row', async () => {
      const a = await seed({}, 'user-a');
      const b = await seed({}, 'user-b');
      const fresh = { tenantId: t, clientKey: 'client-a', subjectId: 'user-new' };
      const held = await claim(b, 'other', 2);
      const claims = await h.leases.claimKeys([a, b, fresh], 'me', at(3), 60_000);
      expect(claims.map((c) => c.lease?.owner ?? null)).toEqual(['me', null, 'me']);
      expect(claims.map((c) => c.current?.id ?? null)).toEqual([a.id, b.id, null]);
      expect(BigInt(claims[0].lease!.fence)).toBeGreaterThan(BigInt(held.lease!.fence));
      // Each lease is a real one: recording under it works, and the held key is still held.
      const next = newRecord({ tenantId: t, subjectId: 'user-a' }, { issued: 10 });
      expect(await record(claims[0].lease, a, next)).toBe('stored');
      expect((await h.serving.findActive(a))?.id).toBe(next.id);
      expect((await claim(b, 'third', 4)).lease).toBeNull();
      expect(await h.leases.claimKeys([], 'me', at(5), 60_000)).toEqual([]);
    });

    it('a held lease is not given to another claimant until it runs out', async () => {
      const old = await seed();
      const first = await claim(old, 'a', 2);
      const second = await claim(old, 'b', 3);
      expect(second.lease).toBeNull();
      expect(second.heldUntil).toEqual(at(2 + 60));
      expect(second.current?.id).toBe(old.id);
      const third = await claim(old, 'b', 2 + 60);
      expect(third.lease).toMatchObject({ owner: 'b' });
      expect(BigInt(third.lease!.fence)).toBeGreaterThan(BigInt(first.lease!.fence));
      // The first holder was taken over: its token goes to revocation, the row stays as it was.
      const late = newRecord({ tenantId: t }, { issued: 10 });
      expect(await record(first.lease, old, late)).toBe('lost');
      expect(await h.serving.findById(t, late.id)).toMatchObject({ status: 'revoking' });
      expect((await h.serving.findActive(old))?.id).toBe(old.id);
      const outbox = await h.sql('SELECT token_id FROM sfs_token_revocation');
      expect(outbox).toEqual([{ token_id: late.id }]);
      // The new holder records normally.
      const next = newRecord({ tenantId: t }, { issued: 11 });
      expect(await record(third.lease, old, next)).toBe('stored');
      expect((await h.serving.findActive(old))?.id).toBe(next.id);
    });

    it('loses when a revocation took the retired row: the new token is born revoking', async () => {
      const old = await seed();
      const got = await claim(old);
      const next = newRecord({ tenantId: t }, { issued: 10 });
      await h.outbox.requestRevocation(
        { tenantId: t, tokenId: old.id },
        'logout',
        'test',
        new Date(5),
      );
      expect(await record(got.lease, old, next)).toBe('lost');
      expect(await h.serving.findById(t, old.id)).toMatchObject({ status: 'revoking' });
      expect(await h.serving.findById(t, next.id)).toMatchObject({ status: 'revoking' });
      expect(await h.serving.findActive(old)).toBeNull();
    });

    it('replaces a row the worker marked expired meanwhile (only a revocation makes the mint lose)', async () => {
      const old = await seed();
      const got = await claim(old);
      await h.refresh.markExpired(old.id, old.version, eventFor(old, 'expired'));
      const next = newRecord({ tenantId: t }, { issued: 10 });
      expect(await record(got.lease, old, next)).toBe('stored');
      expect(await h.serving.findById(t, old.id)).toMatchObject({
        status: 'expired',
        replacedBy: next.id,
        sealed: null,
      });
      expect((await h.serving.findActive(old))?.id).toBe(next.id);
    });

    it('records mints made at the same time in shared statements, each with its own outcome', async () => {
      // 12 keys claimed at once: 9 plain replacements, one whose lease another claimant took
      // over, one whose old row a revocation took, one first mint over an unexpected active row.
      const olds = await Promise.all(Array.from({ length: 12 }, (_, i) => seed({}, `user-${i}`)));
      const claims = await h.leases.claimKeys(olds, 'me', at(2), 1_000);
      await claim(olds[9], 'other', 2 + 1);
      await h.outbox.requestRevocation(
        { tenantId: t, tokenId: olds[10].id },
        'logout',
        'test',
        new Date(5),
      );
      const nexts = olds.map((old) =>
        newRecord({ tenantId: t, subjectId: old.subjectId! }, { issued: 10 }),
      );
      const logger = h.dataSource.logger;
      const logQuery = logger.logQuery.bind(logger);
      let recordings = 0;
      logger.logQuery = (query, ...rest) => {
        if (/sfs_record_mints\(|INSERT INTO sfs_client_token/.test(query)) recordings++;
        return logQuery(query, ...rest);
      };
      let outcomes: Array<string>;
      try {
        outcomes = await Promise.all(
          olds.map((old, i) =>
            h.leases
              .recordMint(
                claims[i].lease!,
                {
                  record: nexts[i],
                  events: [eventFor(nexts[i], i === 11 ? 'issued' : 'refreshed', 10)],
                  retire: i === 11 ? undefined : { id: old.id },
                },
                lostOf(nexts[i]),
              )
              .catch((error: unknown) =>
                error instanceof SfsTokenConflictError ? 'conflict' : String(error),
              ),
          ),
        );
      } finally {
        logger.logQuery = logQuery;
      }
      expect(outcomes).toEqual([...Array(9).fill('stored'), 'lost', 'lost', 'conflict']);
      // The first went alone while idle; the other eleven waited and shared one, which failed on
      // the conflicting row, so its eleven were recorded one by one; the two lost ones then as
      // lost rows (1 + 1 + 11 + 2).
      expect(recordings).toBe(15);
      for (let i = 0; i < 9; i++) {
        expect((await h.serving.findActive(olds[i]))?.id).toBe(nexts[i].id);
        expect(await h.serving.findById(t, olds[i].id)).toMatchObject({
          status: 'expired',
          replacedBy: nexts[i].id,
        });
        expect((await eventsOf(nexts[i].id)).map((e) => e.type)).toEqual(['refreshed']);
      }
      expect(await h.serving.findById(t, nexts[9].id)).toMatchObject({ status: 'revoking' });
      expect((await h.serving.findActive(olds[9]))?.id).toBe(olds[9].id);
      expect(await h.serving.findById(t, nexts[10].id)).toMatchObject({ status: 'revoking' });
      expect(await h.serving.findById(t, nexts[11].id)).toBeNull();
      expect((await h.serving.findActive(olds[11]))?.id).toBe(olds[11].id);
      const changes = await h.sql<{ token_id: string }>(
        'SELECT token_id FROM sfs_token_change WHERE tenant_id = $1',
        [t],
      );
      // The nine replaced rows, and the revoked one (by its revocation).
      expect(changes.map((c) => c.token_id).sort()).toEqual(
        [...olds.slice(0, 9), olds[10]].map((o) => o.id).sort(),
      );
    });

    it('records a batch with no conflict in one statement', async () => {
      const olds = await Promise.all(Array.from({ length: 8 }, (_, i) => seed({}, `user-${i}`)));
      const claims = await h.leases.claimKeys(olds, 'me', at(2), 60_000);
      const nexts = olds.map((old) =>
        newRecord({ tenantId: t, subjectId: old.subjectId! }, { issued: 10 }),
      );
      const logger = h.dataSource.logger;
      const logQuery = logger.logQuery.bind(logger);
      let recordings = 0;
      logger.logQuery = (query, ...rest) => {
        if (query.includes('sfs_record_mints(')) recordings++;
        return logQuery(query, ...rest);
      };
      try {
        await expect(
          Promise.all(olds.map((old, i) => record(claims[i].lease, old, nexts[i]))),
        ).resolves.toEqual(Array(8).fill('stored'));
      } finally {
        logger.logQuery = logQuery;
      }
      // The first went alone while idle; the seven that came meanwhile shared the second.
      expect(recordings).toBe(2);
      for (let i = 0; i < 8; i++) {
        expect((await h.serving.findActive(olds[i]))?.id).toBe(nexts[i].id);
      }
    });

    it("retires a row a worker has just claimed (the claim bumps the version, not the row's service)", async () => {
      const old = await seed({ refreshIn: -1 });
      const [claimed] = await h.refresh.claimDueRefreshes('worker-a', at(1), 60_000, 10);
      expect(claimed).toMatchObject({ id: old.id, version: old.version + 1 });
      const got = await claim(old);
      const next = newRecord({ tenantId: t }, { issued: 10 });
      expect(await record(got.lease, old, next)).toBe('stored');
      expect(await h.serving.findById(t, old.id)).toMatchObject({
        status: 'expired',
        replacedBy: next.id,
      });
    });
  });
});
