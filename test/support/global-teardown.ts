import type { EmbeddedPostgresHandle } from '../../src/dev/embedded-postgres';

/** Stops the throwaway embedded PostgreSQL, also after a failing run. */
export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__SFS_EMBEDDED_PG__ as
    EmbeddedPostgresHandle | undefined;
  if (pg) await pg.stop();
}
