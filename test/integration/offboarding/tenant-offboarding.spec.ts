import { SFS_AUTH_EVENTS, type SfsClientToken } from '../../../src';
import type { SfsTenantOffboardedEvent } from '../../../src/sfs-auth/events/sfs-auth-events';
import { SfsOffboardingWorker } from '../../../src/sfs-auth/offboarding/offboarding.worker';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

/** Every row of every table of the module, by table. */
async function dump(f: TokenFixture): Promise<Record<string, unknown[]>> {
  const tables = await f.rows<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'sfs_%' ORDER BY 1`,
  );
  const out: Record<string, unknown[]> = {};
  for (const { tablename } of tables) out[tablename] = await f.rows(`SELECT * FROM ${tablename}`);
  return out;
}

/** The tables holding a row that mentions `tenantId`, with how many such rows. */
function rowsOf(tables: Record<string, unknown[]>, tenantId: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [table, rows] of Object.entries(tables)) {
    const n = rows.filter((row) => JSON.stringify(row).includes(`"${tenantId}"`)).length;
    if (n > 0) found[table] = n;
  }
  return found;
}

describe('tenant offboarding', () => {
  const f = new TokenFixture();
  let a: TestInstance;
  const announced: SfsTenantOffboardedEvent[] = [];
  const worker = (i: TestInstance) => i.app.get(SfsOffboardingWorker);
  const key = (tenantId: string, n: number) => ({
    tenantId,
    clientKey: `c${n % 3}`,
    subjectId: `user-${n}`,
  });
  const mintMany = async (i: TestInstance, tenantId: string, n: number) => {
    const out: SfsClientToken[] = [];
    for (let k = 0; k < n; k++) out.push(await i.tokens.getClientToken(key(tenantId, k)));
    return out;
  };
  /** Revocation and offboarding passes, the clock moving past every backoff, until done. */
  const driveToEnd = async (i: TestInstance, tenantId: string) => {
    for (let round = 0; round < 300; round++) {
      await i.revocation.runOnce();
      f.clock.advance(10 * 60_000);
      await worker(i).runOnce();
      if ((await i.tokens.tenantOffboarding(tenantId))?.status === 'offboarded') return;
    }
    throw new Error(`the offboarding of ${tenantId} did not end`);
  };

  beforeAll(async () => {
    await f.start('offboarding');
    a = await f.addInstance();
    a.events.on(SFS_AUTH_EVENTS.tenantOffboarded, (e: SfsTenantOffboardedEvent) =>
      announced.push(e),
    );
  });
  afterAll(() => f.stop());
  afterEach(() => f.sandbox.clearFaults());

  it('with 30 % SFS failures: every token revoked at SFS, then nothing of the tenant left but the tombstone', async () => {
    const gone = 't-gone';
    const kept = 't-kept';
    const issued = await mintMany(a, gone, 20);
    await a.tokens.revoke({ tenantId: gone, subjectId: 'user-0' }, 'logout');
    const others = await mintMany(a, kept, 3);
    f.sandbox.setFaults({ statusRates: { 503: 0.3 }, seed: 17 });

    const started = await a.tokens.offboardTenant(gone, 'contract ended', 'admin:ops');
    expect(started).toMatchObject({
      tenantId: gone,
      status: 'revoking',
      reason: 'contract ended',
      requestedBy: 'admin:ops',
      tokensToRevoke: 19,
      completedAt: null,
    });
    // Nothing of the tenant is served or minted any more.
    await expect(a.tokens.getClientToken(key(gone, 5))).rejects.toMatchObject({
      code: 'TENANT_OFFBOARDED',
      tenantId: gone,
    });
    await driveToEnd(a, gone);

    for (const token of issued) expect(f.sandbox.isTokenActive(token.accessToken)).toBe(false);
    const end = await a.tokens.tenantOffboarding(gone);
    expect(end).toMatchObject({
      status: 'offboarded',
      tokensToRevoke: 19,
      revoked: 19,
      pendingRevocations: 0,
      failedRevocations: 0,
      purgedTokens: 20,
      failures: [],
      completedAt: new Date(f.clock.now()),
    });
    expect(end!.purgedEvents).toBeGreaterThanOrEqual(20 + 19 * 2 + 2);
    const tables = await dump(f);
    expect(rowsOf(tables, gone)).toEqual({ sfs_tenant_offboarding: 1 });
    expect(rowsOf(tables, kept)).toMatchObject({ sfs_client_token: 3, sfs_tenant_key: 1 });
    // The other tenant is untouched (its tokens expired meanwhile: it gets new ones).
    f.sandbox.clearFaults();
    expect(others).toHaveLength(3);
    await expect(a.tokens.getClientToken(key(kept, 1))).resolves.toMatchObject({
      tokenType: 'Bearer',
    });
    // Progress and end were announced; the last announcement is the tombstone.
    const mine = announced.filter((e) => e.tenantId === gone);
    // The logout's revocation, queued before, is still pending too.
    expect(mine[0]).toMatchObject({ status: 'revoking', pendingRevocations: 20, revoked: 0 });
    expect(mine.slice(0, -1).every((e) => e.status === 'revoking')).toBe(true);
    expect(mine[mine.length - 1]).toEqual(end);
    expect(new Set(mine.map((e) => e.pendingRevocations)).size).toBeGreaterThan(1);
    expect(mine.filter((e) => e.status === 'offboarded')).toHaveLength(1);
    // Idempotent: asking again changes nothing, and announces nothing.
    const seen = announced.length;
    expect(await a.tokens.offboardTenant(gone, 'again')).toEqual(end);
    expect(announced).toHaveLength(seen);
    expect(rowsOf(await dump(f), gone)).toEqual({ sfs_tenant_offboarding: 1 });
    await expect(a.tokens.getClientToken(key(gone, 1))).rejects.toMatchObject({
      code: 'TENANT_OFFBOARDED',
    });
  });

  it('a second instance stops serving the tenant within the change feed’s latency, and mints nothing', async () => {
    const tenant = 't-feed';
    const b = await f.addInstance({ changeFeed: { mode: 'poll', pollIntervalMs: 50 } });
    const cached = await b.tokens.getClientToken(key(tenant, 1));
    expect((await b.tokens.getClientToken(key(tenant, 1))).tokenId).toBe(cached.tokenId);
    await a.tokens.offboardTenant(tenant, 'erasure request');
    // A mint on the other instance is refused at once (the database says so, no feed needed).
    await expect(b.tokens.getClientToken(key(tenant, 2))).rejects.toMatchObject({
      code: 'TENANT_OFFBOARDED',
    });
    let error: unknown;
    for (let i = 0; i < 100 && !error; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      error = await b.tokens.getClientToken(key(tenant, 1)).then(
        () => undefined,
        (e: unknown) => e,
      );
    }
    expect(error).toMatchObject({ code: 'TENANT_OFFBOARDED', tenantId: tenant });
    await driveToEnd(a, tenant);
    expect(f.sandbox.isTokenActive(cached.accessToken)).toBe(false);
    await f.closeInstance(b);
  });

  it('resumes after a crash in the middle of the purge, on another instance', async () => {
    const tenant = 't-crash';
    const c = await f.addInstance({ retention: { batchSize: 5 } });
    const issued = await mintMany(c, tenant, 12);
    await c.tokens.offboardTenant(tenant, 'contract ended');
    await c.revocation.runOnce();
    f.clock.advance(60_000);
    expect(await worker(c).runOnce()).toEqual({
      tenants: [{ tenantId: tenant, status: 'purging' }],
    });
    const midway = await c.tokens.tenantOffboarding(tenant);
    expect(midway).toMatchObject({ status: 'purging', revoked: 12, purgedTokens: 5 });
    expect(midway!.purgedEvents).toBe(5);
    await f.closeInstance(c); // the crash: the purge is half done

    const d = await f.addInstance();
    const ended: SfsTenantOffboardedEvent[] = [];
    d.events.on(SFS_AUTH_EVENTS.tenantOffboarded, (e: SfsTenantOffboardedEvent) => ended.push(e));
    expect((await worker(d).runOnce()).tenants).toEqual([
      { tenantId: tenant, status: 'offboarded' },
    ]);
    expect(ended).toEqual([expect.objectContaining({ tenantId: tenant, status: 'offboarded' })]);
    expect(await d.tokens.tenantOffboarding(tenant)).toMatchObject({
      status: 'offboarded',
      tokensToRevoke: 12,
      revoked: 12,
      purgedTokens: 12,
      purgedEvents: 12 * 3,
    });
    for (const token of issued) expect(f.sandbox.isTokenActive(token.accessToken)).toBe(false);
    expect(rowsOf(await dump(f), tenant)).toEqual({ sfs_tenant_offboarding: 1 });
    await f.closeInstance(d);
  });

  it('also revokes a token whose refresh failed for good (still live at SFS until it expires)', async () => {
    const tenant = 't-failed-refresh';
    const [token] = await mintMany(a, tenant, 1);
    await f.rows(`UPDATE sfs_client_token SET status = 'failed' WHERE id = $1`, [token.tokenId]);
    expect(f.sandbox.isTokenActive(token.accessToken)).toBe(true);
    expect(await a.tokens.offboardTenant(tenant, 'contract ended')).toMatchObject({
      tokensToRevoke: 1,
    });
    await driveToEnd(a, tenant);
    expect(f.sandbox.isTokenActive(token.accessToken)).toBe(false);
    expect(await a.tokens.tenantOffboarding(tenant)).toMatchObject({ revoked: 1, purgedTokens: 1 });
  });

  it('names the revocations SFS never confirmed, then purges anyway', async () => {
    const tenant = 't-giveup';
    const g = await f.addInstance({ workers: { enabled: false, revocationGiveUpSeconds: 60 } });
    const [token] = await mintMany(g, tenant, 1);
    f.sandbox.setFaults({ statusRates: { 503: 1 }, kinds: ['client.revoke'] });
    await g.tokens.offboardTenant(tenant, 'contract ended');
    await driveToEnd(g, tenant);
    const end = await g.tokens.tenantOffboarding(tenant);
    expect(end).toMatchObject({
      status: 'offboarded',
      tokensToRevoke: 1,
      revoked: 0,
      failedRevocations: 1,
      purgedTokens: 1,
      failures: [{ tokenId: token.tokenId, error: expect.stringContaining('SFS_UNAVAILABLE') }],
    });
    expect(f.sandbox.isTokenActive(token.accessToken)).toBe(true);
    await f.closeInstance(g);
  });
});
