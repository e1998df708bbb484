import { Client } from 'pg';
import { SfsAuthHealthIndicator } from '../../../src';
import { SfsTokenReadModel } from '../../../src/sfs-auth/admin/token-read.model';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

const MINTS = 60;
const SFS_LATENCY_MS = 3_000;

/**
 * The scenario of issue #11: SFS takes 3 s per client token, the host's pool has 10 connections,
 * 60 subjects log in at once. No connection may wait on SFS: none is `idle in transaction`, health
 * stays up and an admin read is answered while every mint is still waiting on SFS.
 */
describe('a slow SFS does not hold database connections', () => {
  const f = new TokenFixture();
  let a: TestInstance;
  let observer: Client;

  beforeAll(async () => {
    await f.start('slow_sfs', 1800, { requestTimeoutMs: 10_000 });
    a = await f.addInstance();
    observer = new Client({ connectionString: f.database.url });
    await observer.connect();
  });
  afterAll(async () => {
    await observer.end();
    await f.stop();
  });

  // On a connection of its own: the app's pool is what is under test.
  const idleInTransaction = async (): Promise<number> => {
    const { rows } = await observer.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    return rows[0].n;
  };

  it(`${MINTS} first mints on a ${SFS_LATENCY_MS / 1000} s SFS with a pool of 10`, async () => {
    const tenantId = 't-slow';
    // The platform token first: the storm below is client-token mints only.
    await a.tokens.getClientToken({ tenantId, clientKey: 'warm' });
    const warmCalls = f.sandbox.calls({ kind: 'client.create' }).length;
    f.sandbox.setFaults({ latencyMs: [SFS_LATENCY_MS, SFS_LATENCY_MS], kinds: ['client.create'] });
    let firstMintDone = false;
    const storm = Promise.all(
      Array.from({ length: MINTS }, (_, i) =>
        a.tokens
          .getClientToken({ tenantId, clientKey: 'c1', subjectId: `user-${i}` })
          .then((token) => {
            firstMintDone = true;
            return token;
          }),
      ),
    );
    try {
      // While SFS has answered none of the mints, no transaction of ours can be recording one:
      // any transaction open then would be one waiting on SFS.
      // The call log knows a call's client key once answered: the storm's calls are those after the warm-up.
      const calls = () => f.sandbox.calls({ kind: 'client.create' }).slice(warmCalls);
      const answered = () => calls().some((c) => c.status !== 0);
      const idle: number[] = [];
      while (!answered() && idle.length < 20) {
        const waiting = calls().length;
        const sample = await idleInTransaction();
        if (waiting > 0 && !answered()) idle.push(sample);
        else await new Promise((r) => setTimeout(r, 10));
      }
      const health = await a.app.get(SfsAuthHealthIndicator).isHealthy();
      const list = await a.app
        .get<SfsTokenReadModel>(SfsTokenReadModel)
        .listTokens({ tenantId, limit: 20 });
      const answeredDuringWait = !firstMintDone;
      expect(idle.length).toBeGreaterThan(0);
      expect(idle.filter((n) => n > 0)).toEqual([]);
      expect(health['sfs-auth'].status).toBe('up');
      expect(list.items.map((r) => r.clientKey)).toEqual(['warm']);
      expect(answeredDuringWait).toBe(true);
    } finally {
      const tokens = await storm;
      f.sandbox.clearFaults();
      expect(new Set(tokens.map((t) => t.tokenId)).size).toBe(MINTS);
    }
    // Exactly one SFS mint per login.
    const perSubject = new Map<string, number>();
    const rows = await f.rows<{ subject_id: string }>(
      "SELECT subject_id FROM sfs_client_token WHERE tenant_id = $1 AND client_key = 'c1'",
      [tenantId],
    );
    for (const row of rows)
      perSubject.set(row.subject_id, (perSubject.get(row.subject_id) ?? 0) + 1);
    expect(rows).toHaveLength(MINTS);
    expect([...perSubject.values()].every((n) => n === 1)).toBe(true);
    expect(
      f.sandbox.calls({ kind: 'client.create' }).filter((c) => c.clientKey === 'c1'),
    ).toHaveLength(MINTS);
  }, 60_000);
});
