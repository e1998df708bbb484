import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { SFS_AUTH_MIGRATIONS } from '../../../migrations';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { SFS_MODULE_TABLES } from './persistence-harness';

const run = promisify(execFile);
const root = join(__dirname, '../../..');

/** `npm run migration:run|revert` as documented: the TypeORM CLI over `ormconfig.ts`. */
describe('ormconfig.ts + TypeORM CLI', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('cli');
  });
  afterAll(() => db.drop());

  const cli = (script: string) =>
    run('npm', ['run', '--silent', script], {
      cwd: root,
      // Type checking is tsc's job; the CLI only needs to load the files.
      env: { ...process.env, DATABASE_URL: db.url, TS_NODE_TRANSPILE_ONLY: 'true' },
      timeout: 60000,
    });
  const tables = async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ t: string }>(
        `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
      );
      return rows.map((r) => r.t);
    } finally {
      await client.end();
    }
  };

  it('migration:run creates the schema and migration:revert removes it', async () => {
    await cli('migration:run');
    expect(await tables()).toEqual(['migrations', ...SFS_MODULE_TABLES]);
    // The CLI reverts one migration per run.
    for (let i = 0; i < SFS_AUTH_MIGRATIONS.length; i++) await cli('migration:revert');
    expect(await tables()).toEqual(['migrations']);
  }, 120000);
});
