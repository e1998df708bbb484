import { useTokenFixture } from '../../support/token-fixture';

/**
 * What happens to a token SFS issued when the transaction that should record it fails. The failure
 * is real: a trigger makes PostgreSQL refuse the insert, as a database going away mid-mint would.
 */
describe('a mint whose row cannot be written', () => {
  const { f, a } = useTokenFixture('mint_failures');

  const refuseInserts = () =>
    f.rows(`
      CREATE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'database unavailable' USING ERRCODE = '57P01'; END $$;
      CREATE TRIGGER refuse_insert BEFORE INSERT ON sfs_client_token
        FOR EACH ROW EXECUTE FUNCTION refuse_insert();`);
  const allowInserts = () =>
    f.rows('DROP TRIGGER refuse_insert ON sfs_client_token; DROP FUNCTION refuse_insert();');

  it('revokes the unrecorded token at SFS, so no live token exists that the module does not know', async () => {
    const key = { tenantId: 't-mint-fail', clientKey: 'c1', subjectId: 'alice' };
    await refuseInserts();
    try {
      await expect(a.tokens.getClientToken(key)).rejects.toThrow();
    } finally {
      await allowInserts();
    }
    const issued = f.sandbox.issuedTokens('client');
    expect(issued).toHaveLength(1);
    expect(issued[0].active).toBe(false);
    expect(
      f.sandbox.calls({ kind: 'client.revoke', reveal: true }).map((c) => c.revokedToken),
    ).toEqual([issued[0].token]);
    expect(await f.rows("SELECT id FROM sfs_client_token WHERE tenant_id = 't-mint-fail'")).toEqual(
      [],
    );

    // Once the database takes writes again, the next call mints and records one token.
    const served = await a.tokens.getClientToken(key);
    expect(f.sandbox.isTokenActive(served.accessToken, 'client')).toBe(true);
    expect(
      await f.rows("SELECT status FROM sfs_client_token WHERE tenant_id = 't-mint-fail'"),
    ).toEqual([{ status: 'active' }]);
  });

  it('keeps trying in the background when SFS also fails to revoke it at first', async () => {
    const key = { tenantId: 't-mint-fail-2', clientKey: 'c-bg', subjectId: 'carol' };
    const revokes = () => f.sandbox.calls({ kind: 'client.revoke' }).length;
    const before = revokes();
    // Every attempt of the first, awaited revocation fails (the test options allow 3 per call).
    f.sandbox.enqueueFaults(
      ...[500, 503, 500].map((status) => ({ kind: 'client.revoke' as const, status })),
    );
    await refuseInserts();
    try {
      await expect(a.tokens.getClientToken(key)).rejects.toThrow();
    } finally {
      await allowInserts();
    }
    const [issued] = f.sandbox.issuedTokens('client').filter((t) => t.clientKey === 'c-bg');
    expect(issued.active).toBe(true);
    expect(revokes() - before).toBe(3);
    // The background retry (after 500 ms of real time) revokes it.
    for (let i = 0; i < 100 && f.sandbox.isTokenActive(issued.token, 'client'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(f.sandbox.isTokenActive(issued.token, 'client')).toBe(false);
  });

  const keyLeasesHeld = async (tenantId: string) =>
    (
      await f.rows<{ n: number }>(
        `SELECT count(*)::int AS n FROM sfs_token_key_lease
         WHERE tenant_id = $1 AND lease_owner IS NOT NULL`,
        [tenantId],
      )
    )[0].n;

  it('refreshes a row a worker has claimed without minting twice (the claim leaves it in service)', async () => {
    const key = { tenantId: 't-mint-claim', clientKey: 'c-claim', subjectId: 'bob' };
    const old = await a.tokens.getClientToken(key);
    f.clock.advance(1_600_000); // within the lead: due, and no longer servable
    const mints = () =>
      f.sandbox.calls({ kind: 'client.create' }).filter((c) => c.clientKey === 'c-claim').length;
    const before = mints();
    // The serve holds the key's lease and waits on a slow SFS; meanwhile a worker claims the row
    // (bumping its version) and waits for the lease.
    f.sandbox.enqueueFaults({ kind: 'client.create', delayMs: 300 });
    const served = a.tokens.getClientToken(key);
    while ((await keyLeasesHeld(key.tenantId)) === 0)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const [, report] = await Promise.all([served, a.refresh.runOnce()]);
    // The worker claimed the row while the serve was minting; holding the lease it finds it replaced.
    expect(report.outcomes).toContainEqual(
      expect.objectContaining({ tokenId: old.tokenId, outcome: 'skipped' }),
    );
    expect(mints() - before).toBe(1);
    const rows = await f.rows<{ status: string }>(
      "SELECT status FROM sfs_client_token WHERE tenant_id = 't-mint-claim' ORDER BY created_at",
    );
    expect(rows.map((r) => r.status)).toEqual(['expired', 'active']);
  });
});
