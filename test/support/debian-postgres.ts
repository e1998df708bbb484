import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '../../src/dev/embedded-postgres';

const run = promisify(execFile);

/** Where Debian 12's `postgresql-15` package puts its server and client programs. */
export const DEBIAN_PG_BIN = '/usr/lib/postgresql/15/bin';

/** A throwaway cluster of Debian's PostgreSQL 15, run as the `postgres` user. */
export interface DebianPostgres {
  /** `postgres://` URL of the `postgres` database (user `postgres`, trust authentication). */
  readonly url: string;
  readonly port: number;
  /** Fast shutdown (running transactions are aborted); resolves once it is down. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it for good and deletes its data. Idempotent, never throws. */
  destroy(): Promise<void>;
  /** The same, synchronously and bluntly, for `process.on('exit')`. */
  destroySync(): void;
}

/** How to start a {@link DebianPostgres}. */
export interface DebianPostgresOptions {
  /** Prefix of the temporary directory holding data, socket and log. */
  readonly dirPrefix: string;
  /** @default 100 (PostgreSQL's own default) */
  readonly maxConnections?: number;
}

/**
 * Uid and gid of the `postgres` user when a throwaway Debian cluster can be started here (this
 * process is root, PostgreSQL 15 is installed and the user exists), else null: the server refuses
 * to run as root, so it runs as `postgres` through `runuser`.
 */
export function debianPostgresOwner(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0 || !existsSync(join(DEBIAN_PG_BIN, 'pg_ctl'))) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

/**
 * Starts Debian's PostgreSQL 15 in a new cluster on a free port (`initdb` then `pg_ctl start` as
 * `postgres`, about 1.2 s). Throws when {@link debianPostgresOwner} finds it cannot run here.
 */
export async function startDebianPostgres(options: DebianPostgresOptions): Promise<DebianPostgres> {
  const owner = debianPostgresOwner();
  if (!owner) {
    throw new Error(
      `Debian's PostgreSQL 15 cannot be started here: it needs root, ${DEBIAN_PG_BIN} ` +
        '(apt-get install -y postgresql-15) and a `postgres` user',
    );
  }
  const dir = mkdtempSync(options.dirPrefix);
  chmodSync(dir, 0o755);
  chownSync(dir, owner.uid, owner.gid);
  const port = await findFreePort();
  const data = join(dir, 'data');
  const pgCtl = (...args: string[]) =>
    run('runuser', ['-u', 'postgres', '--', join(DEBIAN_PG_BIN, 'pg_ctl'), '-D', data, ...args]);
  const flags =
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off` +
    (options.maxConnections === undefined ? '' : ` -c max_connections=${options.maxConnections}`);
  const start = async () => {
    await pgCtl('-w', '-t', '60', '-l', join(dir, 'log'), '-o', flags, 'start');
  };
  let destroyed: Promise<void> | undefined;
  const handle: DebianPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
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
      const args = ['-u', 'postgres', '--', join(DEBIAN_PG_BIN, 'pg_ctl'), '-D', data];
      spawnSync('runuser', [...args, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const initdb = join(DEBIAN_PG_BIN, 'initdb');
    await run('runuser', [
      '-u',
      'postgres',
      '--',
      initdb,
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
