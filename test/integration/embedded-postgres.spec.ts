import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestDatabase } from '../support/test-database';

const run = promisify(execFile);

describe('embedded PostgreSQL helper', () => {
  it('starts a real server, keeps a persistent cluster across restarts, and stops', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sfs-auth-ep-'));
    try {
      const script = join(__dirname, '../fixtures/embedded-postgres-roundtrip.ts');
      const { stdout } = await run(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', script, dataDir],
        { cwd: join(__dirname, '../..'), timeout: 60000 },
      );
      const result = JSON.parse(stdout) as {
        version: Array<{ server_version_num: string }>;
        rows: unknown[];
      };
      expect(Number(result.version[0].server_version_num)).toBeGreaterThanOrEqual(150000);
      expect(result.rows).toEqual([{ v: 42 }]);
      expect(existsSync(join(dataDir, 'cluster', 'PG_VERSION'))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90000);

  it('gives each suite a database of its own on the shared server', async () => {
    const a = await createTestDatabase('a');
    const b = await createTestDatabase('b');
    try {
      expect(a.url).not.toEqual(b.url);
      const client = new Client({ connectionString: a.url });
      await client.connect();
      const db = await client.query<{ db: string }>('SELECT current_database() AS db');
      await client.end();
      expect(db.rows[0].db).toBe(a.name);
    } finally {
      await a.drop();
      await b.drop();
    }
  });
});
