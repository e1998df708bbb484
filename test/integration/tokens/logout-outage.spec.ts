import { SFS_AUTH_EVENTS, SfsLogoutEvent } from '../../../src';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

/** A logout that arrives while the database refuses writes is retried, not dropped. */
describe('logout during a short database outage', () => {
  const f = new TokenFixture();
  let a: TestInstance;

  beforeAll(async () => {
    await f.start('logout_outage');
    a = await f.addInstance();
  });
  afterAll(() => f.stop());

  // The first `failures` outbox inserts fail as if the server were restarting (57P01); a sequence
  // is not rolled back with the failed transaction, so it counts every attempt.
  const failOutboxInserts = (failures: number) =>
    f.rows(`
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
});
