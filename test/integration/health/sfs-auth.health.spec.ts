import { Controller, Get, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SfsAuthHealthIndicator, type SfsAuthModuleOptions } from '../../../src';
import { SfsManualClock } from '../../../src/sandbox';
import type { SfsTokenRecord } from '../../../src/sfs-auth/model/token-record';
import { createTestApp, testEncryptionKey } from '../../support/test-app';
import {
  at,
  createHarness,
  driveTo,
  eventually,
  plaintextOf,
  seedToken,
  truncate,
  type PersistenceHarness,
} from '../persistence/persistence-harness';

/** The host's health endpoint, as the terminus docs have it. */
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly sfs: SfsAuthHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.sfs.isHealthy()]);
  }
}

const options: SfsAuthModuleOptions = {
  baseUrl: 'https://sfs.example.invalid',
  apiKey: 'health-api-key',
  secret: 'health-api-secret',
  encryptionKeys: testEncryptionKey(),
  workers: { enabled: false },
  retention: { enabled: false },
  health: { overdueAfterMs: 30_000, maxOverdueRefreshes: 1, maxRevocationAgeMs: 120_000 },
};
const quiet = {
  status: 'up',
  db: 'up',
  overdueRefreshes: 0,
  pendingRevocations: 0,
  oldestPendingRevocationAgeMs: null,
  failedRevocations: 0,
  failedTokens: 0,
  activeTokens: 0,
  // LISTEN works on a direct connection; the manual clock does not move during the probe.
  changeFeed: { configured: 'auto', mode: 'listen', lagMs: 0 },
};

/** SfsAuthHealthIndicator in a host-like app with TerminusModule, on real PostgreSQL. */
describe('SfsAuthHealthIndicator', () => {
  const t = 'tenant-h';
  const clock = new SfsManualClock(at(0).getTime());
  let h: PersistenceHarness;
  let app: INestApplication;
  beforeAll(async () => {
    h = await createHarness('health');
    app = await createTestApp({
      databaseUrl: h.db.url,
      options,
      clock,
      host: {
        imports: [TerminusModule.forRoot({ logger: false })],
        controllers: [HealthController],
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });
  beforeEach(() => truncate(h));

  const probe = () => request(app.getHttpServer()).get('/health');
  const after = (seconds: number, ms: number) => clock.set(at(seconds).getTime() + ms);
  const seed = (refreshAt: number, subject: string) =>
    seedToken(h, t, { refreshIn: refreshAt }, subject);

  it('is up on a fresh database', async () => {
    const res = await probe().expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      info: { 'sfs-auth': quiet },
      error: {},
      details: { 'sfs-auth': quiet },
    });
  });

  it('goes down once more refreshes are overdue than allowed', async () => {
    await seed(3300, 'u1');
    await seed(3400, 'u2');
    after(3400, 30_000); // u1 overdue; u2 exactly overdueAfterMs past: not yet
    expect((await probe().expect(200)).body.details['sfs-auth']).toMatchObject({
      status: 'up',
      overdueRefreshes: 1,
      activeTokens: 2,
    });
    after(3400, 30_001);
    const res = await probe().expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.error['sfs-auth']).toEqual({
      ...quiet,
      status: 'down',
      overdueRefreshes: 2,
      activeTokens: 2,
      problems: ['overdue_refreshes'],
    });
  });

  it('goes down once a pending revocation is older than allowed', async () => {
    await driveTo(h, await seed(3300, 'u1'), 'revoking', 100);
    await driveTo(h, await seed(3300, 'u2'), 'revoke_failed', 50);
    after(100, 120_000);
    expect((await probe().expect(200)).body.details['sfs-auth']).toMatchObject({
      status: 'up',
      pendingRevocations: 1,
      oldestPendingRevocationAgeMs: 120_000,
      failedRevocations: 1,
    });
    after(100, 120_001);
    expect((await probe().expect(503)).body.error['sfs-auth']).toEqual({
      ...quiet,
      status: 'down',
      pendingRevocations: 1,
      oldestPendingRevocationAgeMs: 120_001,
      failedRevocations: 1,
      problems: ['stale_revocations'],
    });
  });

  it('carries no token material, identifiers or tenants, up or down', async () => {
    const tokens: SfsTokenRecord[] = [
      await seed(3300, 'subject-u1'),
      await seed(100, 'subject-u2'),
      await seed(200, 'subject-u3'),
    ];
    await driveTo(h, tokens[0], 'failed');
    for (const [moment, status] of [
      [0, 200],
      [3600, 503],
    ]) {
      after(moment, 0);
      const body = JSON.stringify((await probe().expect(status)).body);
      for (const token of tokens) {
        const secrets = [plaintextOf(token.id), token.id, token.fingerprint, token.subjectId];
        const sealed = token.sealed!.ciphertext;
        for (const s of [...secrets, sealed.toString('base64'), sealed.toString('hex'), t]) {
          expect(body).not.toContain(s);
        }
      }
    }
  });

  it('reports a database that holds its answer past the timeout as down', async () => {
    const locker = new Client({ connectionString: h.db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sfs_client_token IN ACCESS EXCLUSIVE MODE');
      const result = await app.get(SfsAuthHealthIndicator).isHealthy('db', { timeoutMs: 100 });
      expect(result).toEqual({ db: { status: 'down', db: 'down', error: 'TIMEOUT' } });
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });

  // Last: it cuts every connection to the suite's database.
  it('reports an unreachable database as down with an error code only', async () => {
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const pool = (app.get(DataSource).driver as unknown as { master: { totalCount: number } })
      .master;
    try {
      await admin.query(`ALTER DATABASE "${h.db.name}" ALLOW_CONNECTIONS false`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
        [h.db.name],
      );
      // Once the pool has dropped its killed connections, the next one is refused at connect.
      await eventually(() => pool.totalCount === 0, 'the pool to drop its connections');
      const res = await probe().expect(503);
      expect(res.body.error).toEqual({
        'sfs-auth': { status: 'down', db: 'down', error: '55000' },
      });
      const text = JSON.stringify(res.body);
      for (const leak of [h.db.name, new URL(h.db.url).host, 'accepting']) {
        expect(text).not.toContain(leak);
      }
    } finally {
      await admin.query(`ALTER DATABASE "${h.db.name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  });
});

describe('SfsAuthHealthIndicator without TerminusModule', () => {
  it('boots with the module alone and answers up', async () => {
    const h = await createHarness('health_alone');
    const app = await createTestApp({ databaseUrl: h.db.url, options });
    try {
      const indicator = app.get(SfsAuthHealthIndicator);
      // The system clock here: the probe's round trip is some number of ms.
      const changeFeed = { configured: 'auto', mode: 'listen', lagMs: expect.any(Number) };
      expect(await indicator.isHealthy()).toEqual({ 'sfs-auth': { ...quiet, changeFeed } });
      expect(await indicator.gauges()).toEqual({
        overdueRefreshes: 0,
        pendingRevocations: 0,
        oldestPendingRevocationAt: null,
        failedRevocations: 0,
        failedTokens: 0,
        activeTokens: 0,
        changeFeed,
      });
    } finally {
      await app.close();
      await h.close();
    }
  });
});
