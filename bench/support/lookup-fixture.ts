import { Pool } from 'pg';
import type { SfsAuthModuleOptions, SfsClientTokenRequest } from '../../src';
import { createBenchApp, type BenchApp } from './bench-app';
import type { BenchEnvironment } from './bench-environment';
import { insertFillerRows } from './seed-rows';

/** The key every lookup figure reads. */
export const LOOKUP_KEY: SfsClientTokenRequest = {
  tenantId: 'bench-lookup',
  clientKey: 'client-1',
  subjectId: 'user-1',
};

// The same statement the module's store runs (it matches the unique active-key index).
const RAW_FIND_ACTIVE = `
  SELECT * FROM sfs_client_token
  WHERE tenant_id = $1 AND client_key = $2 AND COALESCE(subject_id, '') = COALESCE($3::varchar, '')
    AND status = 'active'`;

/** A host reading the active row itself: one parameterised SELECT per call on a `pg` Pool. */
export class RawPgLookup {
  private readonly pool: Pool;

  constructor(databaseUrl: string) {
    this.pool = new Pool({ connectionString: databaseUrl, max: 1 });
  }

  /** One SELECT by the unique active key; throws unless it finds the row. */
  async select(key: SfsClientTokenRequest): Promise<unknown> {
    const { rows } = await this.pool.query(RAW_FIND_ACTIVE, [
      key.tenantId,
      key.clientKey,
      key.subjectId ?? null,
    ]);
    if (rows.length !== 1) throw new Error('raw lookup found no active row');
    return rows[0];
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** How many unrelated rows the lookup table holds besides the looked-up one. */
export const LOOKUP_FILLER_ROWS = 10_000;

/**
 * A database with {@link LOOKUP_FILLER_ROWS} filler rows plus the token of {@link LOOKUP_KEY},
 * minted through the sandbox by the returned app (built with `options`).
 */
export async function startLookupApp(
  env: BenchEnvironment,
  label: string,
  options: Partial<SfsAuthModuleOptions>,
): Promise<{ bench: BenchApp; databaseUrl: string }> {
  const databaseUrl = await env.createDatabase(label);
  const bench = await createBenchApp(env, { databaseUrl, options });
  await insertFillerRows(bench.dataSource, { from: 1, to: LOOKUP_FILLER_ROWS });
  await bench.tokens.getClientToken(LOOKUP_KEY);
  return { bench, databaseUrl };
}
