import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/dev/embedded-postgres';

/**
 * Jest global setup: builds the admin console's files, and every suite needs a real PostgreSQL. `DATABASE_URL` wins; otherwise a
 * throwaway embedded server is started here and stopped in global teardown. Workers inherit
 * `DATABASE_URL`; each suite then creates its own database (see `test-database.ts`).
 */
export default async function globalSetup(): Promise<void> {
  // The admin console's files, as the package ships them (a few hundred ms).
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-browser.mjs')]);
  if (process.env.DATABASE_URL) return;
  const dataDir = mkdtempSync(join(tmpdir(), 'sfs-auth-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
  process.env.DATABASE_URL = pg.url;
  (globalThis as Record<string, unknown>).__SFS_EMBEDDED_PG__ = pg;
}
