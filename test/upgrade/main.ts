/**
 * Rolling-upgrade test (`npm run test:upgrade`, a short profile in .ci/run): the previous release
 * (test/upgrade/baseline.json, checked out of git history) and the current tree are packed and
 * installed into fresh NestJS 11 hosts (test/upgrade/host/main.ts). Instances of the previous
 * release run on its schema under sign-in/sign-out load; the current release's migrations are
 * applied while they serve; then they are replaced one by one with current instances (a new one
 * routed in, the old one routed out and sent SIGTERM). At the end every user signs out, the outbox
 * drains, and the run is judged against the SFS sandbox's own record:
 * `RESULT {"fromVersion", "lost", "expiredServed", "errors5xx", "unrevoked", ...}`, all 0 to pass.
 *
 * `UPGRADE_PROFILE=short` (CI) or `full` (the default by hand); `UPGRADE_KEEP=1` keeps the folders.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SfsSandbox } from '../../src/sandbox';
import { SfsKeyRing } from '../../src/sfs-auth/crypto/key-ring';
import { SfsTokenCipher } from '../../src/sfs-auth/crypto/token-cipher';
import { parseEncryptionKeys } from '../../src/sfs-auth/options/encryption-keys';
import { queryOnce, startChaosPostgres, type ChaosPostgres } from '../chaos/postgres';
import { sleep, waitUntil } from '../chaos/timing';
import { Fleet, HostInstance } from './fleet';
import { judgeUpgrade, unrevokedAfterSignOut } from './judge';
import { UpgradeLoad } from './load';
import { installHost, packBaseline, packCurrent, readBaseline, ROOT, sh } from './releases';

interface UpgradeProfile {
  readonly name: string;
  readonly instances: number;
  readonly tenants: number;
  readonly usersPerTenant: number;
  /** How long the load runs between two steps of the upgrade. */
  readonly phaseMs: number;
  readonly clientLifetimeSeconds: number;
  readonly refreshLeadSeconds: number;
}

const PROFILES: Record<string, UpgradeProfile> = {
  short: {
    name: 'short',
    instances: 2,
    tenants: 3,
    usersPerTenant: 8,
    phaseMs: 6000,
    clientLifetimeSeconds: 12,
    refreshLeadSeconds: 4,
  },
  full: {
    name: 'full',
    instances: 3,
    tenants: 5,
    usersPerTenant: 12,
    phaseMs: 15_000,
    clientLifetimeSeconds: 12,
    refreshLeadSeconds: 4,
  },
};

const started = Date.now();
function progress(message: string): void {
  console.log(`upgrade ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${message}`);
}

async function main(): Promise<void> {
  const profileName = process.env.UPGRADE_PROFILE ?? 'full';
  const profile = PROFILES[profileName];
  if (!profile) throw new Error(`UPGRADE_PROFILE must be short or full (got ${profileName})`);
  const baseline = readBaseline();
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const head = (await sh(ROOT, 'git', ['rev-parse', '--short', 'HEAD'])).trim();
  const currentVersion = `${version}+${head}`;
  const work = mkdtempSync(join(tmpdir(), 'sfs-auth-upgrade-'));
  const logs = join(work, 'logs');
  mkdirSync(logs);
  let pg: ChaosPostgres | undefined;
  let sandbox: SfsSandbox | undefined;
  const everyInstance: HostInstance[] = [];
  try {
    progress(
      `${baseline.version} (${baseline.commit.slice(0, 7)}) → current tree, ${profile.name} profile`,
    );
    const [oldTarball, newTarball] = await Promise.all([
      packBaseline(baseline, join(work, 'baseline')),
      packCurrent(join(work, 'current')),
    ]);
    progress('both releases packed; installing their hosts');
    const oldHost = join(work, 'host-baseline');
    const newHost = join(work, 'host-current');
    await installHost(oldHost, oldTarball);
    await installHost(newHost, newTarball);

    pg = await startChaosPostgres('auto');
    progress(`database: ${pg.describe}`);
    sandbox = await SfsSandbox.start({ clientTokenLifetimeSeconds: profile.clientLifetimeSeconds });
    const caFile = join(work, 'sandbox-ca.pem');
    writeFileSync(caFile, sandbox.env().SFS_CA_PEM);
    const encryptionKeys = `k1:${randomBytes(32).toString('base64')}`;
    const { SFS_CA_PEM: _pem, ...sfs } = sandbox.env();
    const env = {
      ...sfs,
      SFS_CA_FILE: caFile,
      DATABASE_URL: pg.url,
      SFS_ENCRYPTION_KEYS: encryptionKeys,
      SFS_REFRESH_LEAD_SECONDS: String(profile.refreshLeadSeconds),
      SFS_SWEEP_INTERVAL_MS: '500',
    };
    const newEnv: Record<string, string> = { ...env, ...compatibilityEnv(baseline.version) };

    const migrate = async (host: string, label: string) => {
      const out = await sh(host, process.execPath, ['dist/main.js'], {
        ...env,
        HOST_MODE: 'migrate',
      });
      progress(`${label}: ${out.trim()}`);
    };
    await migrate(oldHost, `${baseline.version} schema`);

    const fleet = new Fleet();
    for (let i = 0; i < profile.instances; i++) {
      const instance = new HostInstance(`old${i + 1}`, baseline.version, oldHost, env, logs);
      everyInstance.push(instance);
      await instance.start();
      fleet.add(instance);
    }
    progress(`${profile.instances} instances of ${baseline.version} up`);
    const users = [];
    for (let t = 1; t <= profile.tenants; t++)
      for (let u = 1; u <= profile.usersPerTenant; u++)
        users.push({ tenant: `tenant-${t}`, user: `user-${u}` });
    const load = new UpgradeLoad(fleet, users);
    load.start();
    await sleep(profile.phaseMs);

    progress('applying the current migrations while the old instances serve');
    await migrate(newHost, 'current migrations');
    await sleep(profile.phaseMs);

    for (const old of [...fleet.members]) {
      const instance = new HostInstance(
        old.name.replace('old', 'new'),
        currentVersion,
        newHost,
        newEnv,
        logs,
      );
      everyInstance.push(instance);
      await instance.start();
      fleet.add(instance);
      fleet.remove(old);
      const stopped = await old.stop();
      progress(
        `${instance.name} (current) in, ${old.name} out (exit ${stopped.exit}${stopped.killed ? ', SIGKILLed' : ''})`,
      );
      await sleep(profile.phaseMs);
    }
    await sleep(profile.phaseMs);

    progress('load stopped; every user signs out, the outbox drains');
    await load.stop();
    // How the live rows are sealed, read before the sign-outs wipe their material.
    const formats = await queryOnce<{ format: number; n: string }>(
      pg.url,
      `SELECT get_byte(token_ciphertext, 0) AS format, count(*) AS n FROM sfs_client_token
       WHERE token_ciphertext IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );

    const signedOutAt = Date.now();
    await load.signOutEveryone();
    const drainedAt = await waitUntil(
      async () => {
        const [row] = await queryOnce<{ n: string }>(
          pg!.url,
          `SELECT (SELECT count(*) FROM sfs_token_revocation) +
                  (SELECT count(*) FROM sfs_client_token WHERE status IN ('active', 'revoking')) AS n`,
        );
        return row.n === '0';
      },
      60_000,
      250,
    );
    const drained = drainedAt !== null;
    if (!drained) {
      const left = await queryOnce<{ what: string; n: string }>(
        pg.url,
        `SELECT 'token ' || status AS what, count(*)::text AS n FROM sfs_client_token
           WHERE status IN ('active', 'revoking') GROUP BY status
         UNION ALL
         SELECT 'outbox ' || status, count(*)::text FROM sfs_token_revocation GROUP BY status`,
      );
      progress(`not drained after 60 s: ${left.map((l) => `${l.what} ${l.n}`).join(', ')}`);
    }
    for (const instance of [...fleet.members]) await instance.stop();

    const cipher = new SfsTokenCipher(new SfsKeyRing(parseEncryptionKeys(encryptionKeys).keys));
    const rows = await queryOnce<{ fingerprint: string }>(
      pg.url,
      'SELECT fingerprint FROM sfs_client_token',
    );
    const [refreshed] = await queryOnce<{ n: string }>(
      pg.url,
      `SELECT count(*) AS n FROM sfs_token_event WHERE type = 'refreshed'`,
    );
    const revokesReceived = sandbox
      .calls({ kind: 'client.revoke', reveal: true })
      .flatMap((call) => (call.revokedToken ? [{ token: call.revokedToken, at: call.at }] : []));
    const counts = judgeUpgrade({
      serves: load.serves,
      errors: load.errors,
      issued: sandbox.issuedTokens('client'),
      recorded: new Set(rows.map((r) => r.fingerprint)),
      fingerprint: (token) => cipher.fingerprint(token),
      signedOutAt,
      revokesReceived,
    });
    // What the database says of each token a sign-out left live (its row, if any, and the row
    // that replaced it), so a failure names its cause.
    for (const info of unrevokedAfterSignOut(
      sandbox.issuedTokens('client'),
      signedOutAt,
      revokesReceived,
    ).slice(0, 10)) {
      const [row] = await queryOnce<Record<string, unknown>>(
        pg.url,
        `SELECT t.status, t.subject_id, t.replaced_by IS NOT NULL AS replaced, t.issued_at, t.expires_at,
                t.revoke_reason, n.status AS next_status,
                (SELECT string_agg(e.type || '@' || to_char(e.at, 'MI:SS.MS'), ' ' ORDER BY e.at)
                   FROM sfs_token_event e WHERE e.token_id = t.id) AS events
           FROM sfs_client_token t LEFT JOIN sfs_client_token n ON n.id = t.replaced_by
          WHERE t.fingerprint = $1`,
        [cipher.fingerprint(info.token)],
      );
      progress(
        `unrevoked: ${info.clientKey} issued ${new Date(info.issuedAt).toISOString()} (sign-out ${new Date(signedOutAt).toISOString()}): ${row ? JSON.stringify(row) : 'no row'}`,
      );
    }
    for (const error of load.errors.slice(0, 10))
      progress(
        `error: ${error.what} → ${error.status} from ${error.release}: ${error.body.slice(0, 200)}`,
      );
    // What an instance of the previous release met that it could not read (it mints over it).
    const unreadable = everyInstance
      .filter((i) => i.release === baseline.version)
      .flatMap((i) => i.logLines(/cannot be decrypted/)).length;
    const served = (release: string) => load.serves.filter((s) => s.release === release).length;
    const result = {
      fromVersion: baseline.version,
      fromCommit: baseline.commit.slice(0, 7),
      toVersion: currentVersion,
      profile: profile.name,
      compatibleWith: newEnv.SFS_COMPATIBLE_WITH ?? null,
      ...counts,
      served: load.serves.length,
      servedByBaseline: served(baseline.version),
      servedByCurrent: served(currentVersion),
      baselineUnreadable: unreadable,
      logouts: load.logouts,
      refreshes: Number(refreshed.n),
      proxyRetries: fleet.retries,
      drained,
      sealFormats: Object.fromEntries(formats.map((f) => [`v${f.format}`, Number(f.n)])),
      seconds: Math.round((Date.now() - started) / 1000),
    };
    console.log(`RESULT ${JSON.stringify(result)}`);
    const ok =
      counts.lost === 0 &&
      counts.expiredServed === 0 &&
      counts.errors5xx === 0 &&
      counts.errors4xx === 0 &&
      counts.unrevoked === 0 &&
      unreadable === 0 &&
      drained &&
      result.servedByBaseline > 0 &&
      result.servedByCurrent > 0 &&
      result.refreshes > 0;
    progress(ok ? 'PASS' : `FAIL (instance logs in ${logs})`);
    if (!ok) process.exitCode = 1;
  } finally {
    for (const instance of everyInstance) instance.kill();
    await sandbox?.close();
    await pg?.destroy();
    if (!process.env.UPGRADE_KEEP && process.exitCode !== 1)
      rmSync(work, { recursive: true, force: true });
    else progress(`kept ${work}`);
  }
}

/**
 * What the current instances are told while the previous release still runs: the upgrade rule
 * of docs/operations.md ("Rolling upgrades"). `UPGRADE_COMPAT=off` leaves it out, to see what it prevents.
 */
function compatibilityEnv(fromVersion: string): Record<string, string> {
  return process.env.UPGRADE_COMPAT === 'off' ? {} : { SFS_COMPATIBLE_WITH: fromVersion };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
