import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '../dev/embedded-postgres';
import { SfsSandbox } from '../sandbox';
import { loadDemoSecrets } from './demo-secrets';

/** What the demo app runs against, and how to stop what it started. */
export interface DemoRuntime {
  /** Environment for `sfsAuthOptionsFromEnv` (process env + the demo's defaults). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly databaseUrl: string;
  /** For the start banner: where things are, never secrets. */
  readonly describe: { database: string; sfs: string; dataDir: string };
  /** The sandbox, when the demo started one (`SFS_BASE_URL` unset). */
  readonly sandbox?: SfsSandbox;
  /** The demo admin keys when this start generated them (printed once), else null. */
  readonly newAdminKeys: string | null;
  stop(): Promise<void>;
}

/**
 * Fills in what the environment leaves unset: an embedded PostgreSQL under `<dataDir>/pg`, the SFS
 * sandbox, a dev encryption key and demo admin keys under `<dataDir>`. Anything set in the
 * environment (`DATABASE_URL`, `SFS_*`) is used as is.
 */
export async function startDemoRuntime(
  source: Readonly<Record<string, string | undefined>>,
): Promise<DemoRuntime> {
  const dataDir = resolve(source.SFS_DEMO_DATA_DIR ?? '.data');
  const env: Record<string, string | undefined> = { ...source };
  const stops: Array<() => Promise<void>> = [];
  const secrets = loadDemoSecrets(dataDir);
  env.SFS_ENCRYPTION_KEYS ??= secrets.encryptionKeys;
  env.SFS_ADMIN_KEYS ??= secrets.adminKeys;
  try {
    let database = 'DATABASE_URL';
    if (!env.DATABASE_URL) {
      const pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), persistent: true });
      stops.unshift(() => pg.stop());
      env.DATABASE_URL = pg.url;
      database = `embedded PostgreSQL (${join(dataDir, 'pg')}, port ${pg.port})`;
    }
    let sandbox: SfsSandbox | undefined;
    let sfs = `${env.SFS_BASE_URL} (SFS_BASE_URL)`;
    if (!env.SFS_BASE_URL) {
      sandbox = await SfsSandbox.start();
      const running = sandbox;
      stops.unshift(() => running.close());
      const caFile = join(dataDir, 'sandbox-ca.pem');
      writeFileSync(caFile, sandbox.caPem);
      env.SFS_BASE_URL = sandbox.url;
      env.SFS_CA_FILE = caFile;
      env.SFS_API_KEY = sandbox.accounts[0].apiKey;
      env.SFS_SECRET = sandbox.accounts[0].secret;
      sfs = `SFS sandbox ${sandbox.url} (in-process, in-memory)`;
    }
    return {
      env,
      databaseUrl: env.DATABASE_URL,
      describe: { database, sfs, dataDir },
      sandbox,
      newAdminKeys: secrets.adminKeysGenerated && !source.SFS_ADMIN_KEYS ? secrets.adminKeys : null,
      stop: async () => {
        for (const stop of stops) await stop().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw error;
  }
}
