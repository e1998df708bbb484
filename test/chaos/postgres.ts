import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { findFreePort, startEmbeddedPostgres } from '../../src/dev/embedded-postgres';
import { debianPostgresOwner, startDebianPostgres } from '../support/debian-postgres';
import { startPgBouncer } from '../support/pgbouncer';

/** A throwaway PostgreSQL server the chaos driver can stop and start again on the same port. */
export interface ChaosPostgres {
  /** `postgres://` URL of the `postgres` database (direct: the driver's own queries use it). */
  readonly url: string;
  /** The URL the app instances get as `DATABASE_URL` (PgBouncer's, with `CHAOS_PG=pgbouncer`). */
  readonly appUrl: string;
  /** More environment for the app instances (the change feed's settings behind PgBouncer). */
  readonly appEnv: Readonly<Record<string, string>>;
  /** What it is, for the report. */
  readonly describe: string;
  /** Fast shutdown (running transactions are aborted); resolves once it is down. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it for good and deletes its data. Idempotent, never throws. */
  destroy(): Promise<void>;
  /** The same, synchronously and bluntly, for `process.on('exit')`. */
  destroySync(): void;
}

/**
 * Debian's PostgreSQL 15 in a throwaway cluster run as `postgres` (as `.ci/run` does) when this
 * process is root and the binaries exist, else the embedded PostgreSQL (persistent, so it can be
 * stopped and started) in a temporary directory. `CHAOS_PG=embedded` forces the latter.
 * `CHAOS_PG=pgbouncer` puts Debian's PgBouncer in transaction mode in front of either: the app
 * instances reach the database only through it (see {@link behindPgBouncer}).
 */
export async function startChaosPostgres(
  choice = process.env.CHAOS_PG ?? 'auto',
): Promise<ChaosPostgres> {
  if (!['auto', 'embedded', 'pgbouncer'].includes(choice)) {
    throw new Error(
      `CHAOS_PG must be 'auto', 'embedded' or 'pgbouncer' (got ${JSON.stringify(choice)})`,
    );
  }
  const debian = choice !== 'embedded' && debianPostgresOwner() !== null;
  const server = debian ? await startDebian() : await startEmbedded();
  return choice === 'pgbouncer' ? behindPgBouncer(server) : server;
}

/** Poll interval of the instances behind PgBouncer: see {@link behindPgBouncer}. */
const POOLED_POLL_INTERVAL_MS = 500;

/**
 * The server behind PgBouncer (transaction mode, enough server connections for the three
 * instances' pools). The instances get no listen URL, so their change feeds prove that LISTEN
 * through the pooler receives nothing and fall back to polling, every 500 ms: the serve judge
 * allows 1 s between a revocation and the last serve of the token, and a poll every 1 s (the
 * default) leaves no room for the poll itself. The database restart goes on behind PgBouncer.
 */
async function behindPgBouncer(server: ChaosPostgres): Promise<ChaosPostgres> {
  let bouncer;
  try {
    bouncer = await startPgBouncer({ serverUrl: server.url, poolSize: 160 });
  } catch (error) {
    await server.destroy();
    throw error;
  }
  const pooled = bouncer;
  return {
    ...server,
    appUrl: pooled.urlFor('postgres'),
    appEnv: { SFS_CHANGE_FEED_POLL_INTERVAL_MS: String(POOLED_POLL_INTERVAL_MS) },
    describe: `${server.describe}, behind PgBouncer 1.18 (transaction mode) on port ${pooled.port}`,
    destroy: async () => {
      await pooled.stop().catch(() => undefined);
      await server.destroy();
    },
    destroySync: () => {
      pooled.killNow();
      server.destroySync();
    },
  };
}

async function startDebian(): Promise<ChaosPostgres> {
  const server = await startDebianPostgres({
    dirPrefix: '/tmp/sfs-auth-chaos-pg.',
    maxConnections: 300,
  });
  return {
    url: server.url,
    appUrl: server.url,
    appEnv: {},
    describe: `Debian PostgreSQL 15, throwaway cluster on port ${server.port}`,
    stop: () => server.stop(),
    start: () => server.start(),
    destroy: () => server.destroy(),
    destroySync: () => server.destroySync(),
  };
}

async function startEmbedded(): Promise<ChaosPostgres> {
  const dataDir = mkdtempSync('/tmp/sfs-auth-chaos-epg.');
  const port = await findFreePort();
  let server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
  let running = true;
  let destroyed: Promise<void> | undefined;
  return {
    url: server.url,
    appUrl: server.url,
    appEnv: {},
    describe: `embedded PostgreSQL on port ${port}`,
    stop: async () => {
      await server.stop();
      running = false;
    },
    start: async () => {
      server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
      running = true;
    },
    destroy: () =>
      (destroyed ??= (async () => {
        if (running) await server.stop().catch(() => undefined);
        rmSync(dataDir, { recursive: true, force: true });
      })()),
    destroySync: () => {
      // The embedded server cannot be stopped synchronously: its postmaster pid file tells.
      const pidFile = join(dataDir, 'cluster', 'postmaster.pid');
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
      if (pid > 0) spawnSync('kill', ['-QUIT', String(pid)], { stdio: 'ignore' });
    },
  };
}

/** Runs one query on a fresh connection (the server may have restarted since the last one). */
export async function queryOnce<R extends object>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}
