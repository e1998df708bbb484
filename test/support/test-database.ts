import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A database of its own for one suite, on the server in `DATABASE_URL` (or another one). */
export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the suite through `npm test`');
  return url;
}

/**
 * Creates an empty database so that suites running in parallel never see each other's rows, on
 * the server of `serverUrl` (any URL of it; default: `DATABASE_URL`'s).
 */
export async function createTestDatabase(
  label = 'suite',
  serverUrl = adminUrl(),
): Promise<TestDatabase> {
  const name = `sfs_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
