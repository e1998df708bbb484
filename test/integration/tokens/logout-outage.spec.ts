import { SFS_AUTH_EVENTS, SfsLogoutEvent } from '../../../src';
import { useTokenFixture } from '../../support/token-fixture';

/** A logout that arrives while the database refuses writes is retried, not dropped. */
describe('logout during a short database outage', () => {
  const { f, a } = useTokenFixture('logout_outage');

  // The first `failures` outbox inserts fail as if the server were restarting (57P01); a sequence
  // is not rolled back with the failed transaction, so it counts every attempt.
  const failOutboxInserts = (failures: number) =>
    f.rows(`
      DROP TRIGGER IF EXISTS outage ON sfs_token_revocation;
      DROP FUNCTION IF EXISTS outage();
      DROP SEQUENCE IF EXISTS outage_attempts;
      CREATE SEQUENCE outage_attempts;
      CREATE FUNCTION outage() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF nextval('outage_attempts') <= ${failures} THEN
            RAISE EXCEPTION 'terminating connection' USING ERRCODE = '57P01';
          END IF;
          RETURN NEW;
        END $$;
      CREATE TRIGGER outage BEFORE INSERT ON sfs_token_revocation
        FOR EACH ROW EXECUTE FUNCTION outage();`);
  const attempts = async () =>
    Number(
      (
        await f.rows<{ n: string }>(
          'SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM outage_attempts',
        )
      )[0].n,
    );

  it('queues the revocation once the database takes writes again, and SFS revokes the token', async () => {
    const key = { tenantId: 't-outage', clientKey: 'c1', subjectId: 'alice' };
    const token = await a.tokens.getClientToken(key);
    await failOutboxInserts(2);
    await a.events.emitAsync(SFS_AUTH_EVENTS.logout, new SfsLogoutEvent('t-outage', 'alice'));
    const attempts = await f.rows<{ n: string }>('SELECT last_value AS n FROM outage_attempts');
    expect(Number(attempts[0].n)).toBe(3);
    expect(
      await f.rows("SELECT status FROM sfs_client_token WHERE tenant_id = 't-outage'"),
    ).toEqual([{ status: 'revoking' }]);
    await a.revocation.runOnce();
    expect(f.sandbox.isTokenActive(token.accessToken, 'client')).toBe(false);
  });

  it('at shutdown, a logout still being retried makes one last attempt and gives up at once', async () => {
    const b = await f.addInstance();
    await b.tokens.getClientToken({ tenantId: 't-shutdown', clientKey: 'c1', subjectId: 'bob' });
    await failOutboxInserts(1_000);
    let settled = false;
    const logout = b.events
      .emitAsync(SFS_AUTH_EVENTS.logout, new SfsLogoutEvent('t-shutdown', 'bob'))
      .finally(() => (settled = true));
    while ((await attempts()) < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const before = await attempts();
    await f.closeInstance(b);
    // The retry delays add up to about 15 s: the logout ends with the app instead of outliving it.
    expect(settled).toBe(true);
    await logout;
    expect(await attempts()).toBeGreaterThan(before);
    expect(
      await f.rows("SELECT status FROM sfs_client_token WHERE tenant_id = 't-shutdown'"),
    ).toEqual([{ status: 'active' }]);
  });
});
