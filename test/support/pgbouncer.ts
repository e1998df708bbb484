import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findFreePort } from '../../src/dev/embedded-postgres';

/** How CI (Debian 12) gets PgBouncer; the suites that need it fail with this when it is missing. */
export const PGBOUNCER_INSTALL = 'apt-get update && apt-get install -y pgbouncer';

/** A PgBouncer in front of a PostgreSQL server. */
export interface PgBouncerHandle {
  readonly port: number;
  /** The URL of database `name` through PgBouncer (same credentials as the server URL). */
  urlFor(name: string): string;
  stop(): Promise<void>;
  /** Kills it synchronously (for `process.on('exit')`). */
  killNow(): void;
}

/** How to run PgBouncer. */
export interface PgBouncerOptions {
  /** Any URL of the server (its credentials are used for every database). */
  readonly serverUrl: string;
  /** @default 'transaction' */
  readonly poolMode?: 'transaction' | 'session';
  /** Server connections per database. @default 20 */
  readonly poolSize?: number;
}

function pgbouncerBinary(): string {
  for (const candidate of ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', 'pgbouncer']) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  throw new Error(
    `pgbouncer is not installed: these tests need a real PgBouncer. Install it with \`${PGBOUNCER_INSTALL}\``,
  );
}

/**
 * Starts Debian's PgBouncer on a free port in front of `serverUrl`'s server, every database name
 * passed through (`* =` entry), clients accepted without a password (`auth_type = any`) and
 * connected to the server with its credentials. PgBouncer refuses to run as root: as root it runs
 * as the `postgres` user (`runuser`), otherwise as the current user. Stops with `stop()`.
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncerHandle> {
  const binary = pgbouncerBinary();
  const server = new URL(options.serverUrl);
  const port = await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'sfs-pgbouncer-'));
  chmodSync(dir, 0o755); // readable by the `postgres` user when started as root
  const password = decodeURIComponent(server.password);
  const target = [
    `host=${server.hostname}`,
    `port=${server.port || 5432}`,
    `user=${decodeURIComponent(server.username)}`,
    ...(password ? [`password=${password}`] : []),
  ].join(' ');
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = ${target}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      `pool_mode = ${options.poolMode ?? 'transaction'}`,
      `default_pool_size = ${options.poolSize ?? 20}`,
      'max_client_conn = 2000',
      // After a failed server login (a restarting server) PgBouncer refuses new clients for this
      // long; its 15 s default would outlast the restart itself.
      'server_login_retry = 1',
      'ignore_startup_parameters = extra_float_digits,options,application_name',
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const asRoot = userInfo().uid === 0;
  const child = spawn(
    asRoot ? 'runuser' : binary,
    asRoot ? ['-u', 'postgres', '--', binary, ini] : [ini],
    {
      detached: true, // its own process group: stop() ends runuser and PgBouncer together
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const handle: PgBouncerHandle = {
    port,
    urlFor(name) {
      const url = new URL(options.serverUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop: () => stopGroup(child).finally(() => rmSync(dir, { recursive: true, force: true })),
    killNow: () => {
      if (child.pid !== undefined && child.exitCode === null) signal(-child.pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilServing(handle.urlFor(server.pathname.slice(1) || 'postgres'), child);
  } catch (error) {
    await handle.stop();
    throw new Error(`PgBouncer did not start: ${(error as Error).message}\n${stderr}`, {
      cause: error,
    });
  }
  return handle;
}

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

// runuser forwards SIGTERM to PgBouncer and reaps it; the process group is the fallback.
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise<void>((resolve) => {
    const fallback = setTimeout(() => signal(-pid, 'SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(fallback);
      resolve();
    });
    if (!signal(pid, 'SIGTERM')) {
      clearTimeout(fallback);
      resolve();
    }
  });
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}
