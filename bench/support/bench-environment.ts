import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '../../src/dev/embedded-postgres';
import { SfsSandbox } from '../../src/sandbox';

/** What every figure shares: one throwaway PostgreSQL server, one sandbox, one key ring. */
export interface BenchEnvironment {
  readonly sandbox: SfsSandbox;
  /** Key ring given to every module instance, so instances read each other's rows. */
  readonly encryptionKeys: string;
  /** Creates an empty database on the embedded server; returns its URL. */
  createDatabase(label: string): Promise<string>;
  /** Drops every database created so far (their apps must be closed), so none keeps the server busy. */
  dropDatabases(): Promise<void>;
  /** Stops the sandbox and the server (deleting its data directory). Idempotent. */
  close(): Promise<void>;
}

/** Starts an embedded PostgreSQL in a temporary directory and an SFS sandbox. */
export async function startBenchEnvironment(): Promise<BenchEnvironment> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sfs-auth-bench-pg-'));
  let pg: EmbeddedPostgresHandle;
  try {
    pg = await startEmbeddedPostgres({ dataDir, persistent: false });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  let sandbox: SfsSandbox;
  try {
    sandbox = await SfsSandbox.start();
  } catch (error) {
    await pg.stop();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const created: string[] = [];
  const admin = async (statements: string[]): Promise<void> => {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    sandbox,
    encryptionKeys: `bench:${randomBytes(32).toString('base64')}`,
    createDatabase: async (label) => {
      const name = `bench_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
      await admin([`CREATE DATABASE "${name}"`]);
      created.push(name);
      const url = new URL(pg.url);
      url.pathname = `/${name}`;
      return url.toString();
    },
    dropDatabases: async () => {
      const names = created.splice(0);
      await admin(names.map((name) => `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
    close: () =>
      (closing ??= (async () => {
        await sandbox.close();
        await pg.stop();
      })()),
  };
}
