import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { findFreePort, startEmbeddedPostgres } from '../../src/dev/embedded-postgres';

const run = promisify(execFile);
const PGBIN = '/usr/lib/postgresql/15/bin';

/** A throwaway PostgreSQL server the chaos driver can stop and start again on the same port. */
export interface ChaosPostgres {
  /** `postgres://` URL of the `postgres` database. */
  readonly url: string;
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
 */
export async function startChaosPostgres(
  choice = process.env.CHAOS_PG ?? 'auto',
): Promise<ChaosPostgres> {
  const debian = choice !== 'embedded' && userInfo().uid === 0 && existsSync(join(PGBIN, 'pg_ctl'));
  const owner = debian ? postgresUser() : null;
  return owner ? startDebian(owner) : startEmbedded();
}

/** Uid and gid of the `postgres` user, or null when there is none. */
function postgresUser(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

async function startDebian(owner: { uid: number; gid: number }): Promise<ChaosPostgres> {
  const dir = mkdtempSync('/tmp/sfs-auth-chaos-pg.');
  chmodSync(dir, 0o755);
  chownSync(dir, owner.uid, owner.gid);
  const port = await findFreePort();
  const data = join(dir, 'data');
  const pgCtl = (...args: string[]) =>
    run('runuser', ['-u', 'postgres', '--', join(PGBIN, 'pg_ctl'), '-D', data, ...args]);
  const flags = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`;
  const start = async () => {
    await pgCtl('-w', '-t', '60', '-l', join(dir, 'log'), '-o', flags, 'start');
  };
  let destroyed: Promise<void> | undefined;
  const handle: ChaosPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    describe: `Debian PostgreSQL 15, throwaway cluster on port ${port}`,
    stop: async () => {
      await pgCtl('-m', 'fast', '-w', 'stop');
    },
    start,
    destroy: () =>
      (destroyed ??= (async () => {
        await pgCtl('-m', 'immediate', '-w', 'stop').catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      })()),
    destroySync: () => {
      const args = ['-u', 'postgres', '--', join(PGBIN, 'pg_ctl'), '-D', data];
      spawnSync('runuser', [...args, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await run('runuser', [
      '-u',
      'postgres',
      '--',
      join(PGBIN, 'initdb'),
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
    ]);
    await start();
  } catch (error) {
    await handle.destroy();
    throw error;
  }
  return handle;
}

async function startEmbedded(): Promise<ChaosPostgres> {
  const dataDir = mkdtempSync('/tmp/sfs-auth-chaos-epg.');
  const port = await findFreePort();
  let server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
  let running = true;
  let destroyed: Promise<void> | undefined;
  return {
    url: server.url,
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
