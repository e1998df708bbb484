import { SfsKeyLeaseStore } from '../../../src/sfs-auth/serving/key-lease.store';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

const ITERATIONS = 100;
const LEASE_MS = 60_000;

jest.setTimeout(180_000);

/** Key-lease races (issue #11), each repeated: all must come out clean every time. */
describe('key lease races (repeated)', () => {
  const f = new TokenFixture();
  let a: TestInstance;
  let b: TestInstance;

  beforeAll(async () => {
    await f.start('lease_races', 1800, { workers: { enabled: false, leaseMs: LEASE_MS } });
    a = await f.addInstance();
    b = await f.addInstance();
  });
  afterAll(() => f.stop());

  const creates = (clientKey: string) =>
    f.sandbox.calls({ kind: 'client.create' }).filter((c) => c.clientKey === clientKey).length;
  const activeRows = (tenantId: string, subjectId: string) =>
    f.rows<{ id: string }>(
      "SELECT id FROM sfs_client_token WHERE tenant_id = $1 AND subject_id = $2 AND status = 'active'",
      [tenantId, subjectId],
    );
  const leaseHeld = async (tenantId: string, subjectId: string) =>
    (
      await f.rows(
        'SELECT 1 FROM sfs_token_key_lease WHERE tenant_id = $1 AND subject_key = $2 AND lease_owner IS NOT NULL',
        [tenantId, subjectId],
      )
    ).length > 0;
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 1000 && !(await check()); i++) await new Promise((r) => setTimeout(r, 2));
  };

  it(`a killed instance's lease is taken over once it runs out (${ITERATIONS} iterations)`, async () => {
    const store = a.app.get<SfsKeyLeaseStore>(SfsKeyLeaseStore);
    const tenantId = 't-lease-kill';
    for (let i = 0; i < ITERATIONS; i++) {
      const key = { tenantId, clientKey: `ck${i}`, subjectId: 's' };
      // An instance claims the key, then dies before SFS answers (its claim is simply abandoned).
      const dead = await store.claimKey(key, 'dead-instance', new Date(f.clock.now()), LEASE_MS);
      expect(dead.lease).not.toBeNull();
      const served = b.tokens.getClientToken(key);
      await new Promise((r) => setTimeout(r, 5)); // b finds the key claimed and waits
      f.clock.advance(LEASE_MS); // the dead instance's lease runs out
      const token = await served;
      expect(creates(key.clientKey)).toBe(1);
      const rows = await f.rows<{ id: string }>(
        "SELECT id FROM sfs_client_token WHERE tenant_id = $1 AND client_key = $2 AND status = 'active'",
        [tenantId, key.clientKey],
      );
      expect(rows.map((r) => r.id)).toEqual([token.tokenId]);
      // The dead instance's fence no longer holds: were it to come back, it could not release.
      const [lease] = await f.rows<{ lease_owner: string | null; fence: string }>(
        'SELECT lease_owner, fence FROM sfs_token_key_lease WHERE tenant_id = $1 AND client_key = $2',
        [tenantId, key.clientKey],
      );
      expect(lease.lease_owner).toBeNull();
      expect(BigInt(lease.fence)).toBeGreaterThan(BigInt(dead.lease!.fence));
    }
  });

  it('a mint whose lease is taken over twice in a row fails with a retryable TOKEN_CONFLICT; both tokens go to revocation', async () => {
    const store = a.app.get<SfsKeyLeaseStore>(SfsKeyLeaseStore);
    const tenantId = 't-lease-lost-twice';
    const key = { tenantId, clientKey: 'cl2', subjectId: 's' };
    const owner = async () =>
      (
        await f.rows<{ lease_owner: string | null }>(
          'SELECT lease_owner FROM sfs_token_key_lease WHERE tenant_id = $1',
          [tenantId],
        )
      )[0]?.lease_owner ?? null;
    const rowsIn = async (status: string) =>
      (
        await f.rows('SELECT id FROM sfs_client_token WHERE tenant_id = $1 AND status = $2', [
          tenantId,
          status,
        ])
      ).length;
    // Our mint holds the key while SFS is slow; its lease runs out and another claimant takes it.
    const takeOver = async () => {
      await until(async () => ![null, 'thief'].includes(await owner()));
      f.clock.advance(LEASE_MS);
      const thief = await store.claimKey(key, 'thief', new Date(f.clock.now()), LEASE_MS);
      expect(thief.lease).not.toBeNull();
    };
    f.sandbox.enqueueFaults(
      { kind: 'client.create', delayMs: 300 },
      { kind: 'client.create', delayMs: 300 },
    );
    const served = a.tokens.getClientToken(key).then(
      () => null,
      (error: unknown) => error,
    );
    await takeOver();
    await until(async () => (await rowsIn('revoking')) === 1); // the first token lost its fence
    f.clock.advance(LEASE_MS); // the thief's lease runs out: our second attempt claims the key
    await takeOver();
    expect(await served).toMatchObject({ code: 'TOKEN_CONFLICT', retryable: true });
    expect(creates(key.clientKey)).toBe(2);
    expect(await rowsIn('revoking')).toBe(2);
    expect(await rowsIn('active')).toBe(0);
  });

  it(`a revoke during a refresh's SFS call never resurrects the token (${ITERATIONS} iterations)`, async () => {
    const tenantId = 't-lease-revoke';
    // Tokens of the other tests expire first, so each pass below claims this test's token.
    f.clock.advance(3_600_000);
    while ((await a.refresh.runOnce()).claimed > 0);
    for (let i = 0; i < ITERATIONS; i++) {
      const key = { tenantId, clientKey: 'cr', subjectId: `s${i}` };
      const old = await a.tokens.getClientToken(key);
      f.clock.advance(1_600_000); // due for refresh, not expired
      f.sandbox.enqueueFaults({ kind: 'client.create', delayMs: 150 });
      const pass = a.refresh.runOnce();
      await until(() => leaseHeld(tenantId, key.subjectId));
      expect(await b.tokens.revoke(key, 'logout')).toBe(1);
      const report = await pass;
      expect(report.outcomes).toContainEqual(
        expect.objectContaining({ tokenId: old.tokenId, outcome: 'skipped' }),
      );
      await a.revocation.runOnce();
      expect(await activeRows(tenantId, key.subjectId)).toEqual([]);
      f.clock.advance(200_000);
    }
    const live = f.sandbox.issuedTokens('client').filter((t) => t.clientKey === 'cr' && t.active);
    expect(live).toEqual([]);
    const pending = await f.rows(
      "SELECT id FROM sfs_client_token WHERE tenant_id = $1 AND status IN ('active', 'revoking')",
      [tenantId],
    );
    expect(pending).toEqual([]);
  });

  it(`two instances asking for one new key mint it once (${ITERATIONS} iterations)`, async () => {
    const tenantId = 't-lease-two';
    for (let i = 0; i < ITERATIONS; i++) {
      const key = { tenantId, clientKey: 'c2', subjectId: `s${i}` };
      f.sandbox.enqueueFaults({ kind: 'client.create', delayMs: 10 });
      const served = await Promise.all([
        a.tokens.getClientToken(key),
        b.tokens.getClientToken(key),
        a.tokens.getClientToken(key),
        b.tokens.getClientToken(key),
      ]);
      expect(new Set(served.map((t) => t.tokenId)).size).toBe(1);
      expect((await activeRows(tenantId, key.subjectId)).map((r) => r.id)).toEqual([
        served[0].tokenId,
      ]);
    }
    const mints = f.sandbox.calls({ kind: 'client.create' }).filter((c) => c.clientKey === 'c2');
    expect(mints).toHaveLength(ITERATIONS);
  });
});
