import type { DemoHarness } from '../../e2e/support/demo-harness';
import type { Haystack } from '../../e2e/support/needles';

const cell = (value: unknown): string => {
  if (Buffer.isBuffer(value)) {
    return `hex:${value.toString('hex')} utf8:${value.toString('utf8')} base64:${value.toString('base64')}`;
  }
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
};

/** Names of the module's tables (`sfs_*`) in the app's database. */
export async function sfsTables(demo: DemoHarness): Promise<string[]> {
  const rows = await demo.rows<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_name LIKE 'sfs\\_%' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/** `SELECT *` of every `sfs_*` table, each cell as text (bytea as hex, utf8 and base64). */
export async function dumpTables(demo: DemoHarness): Promise<Haystack[]> {
  const dump: Haystack[] = [];
  for (const table of await sfsTables(demo)) {
    const rows = await demo.rows(`SELECT * FROM "${table}"`);
    const text = rows
      .map((row) => Object.entries(row).map(([column, value]) => `${column}=${cell(value)}`))
      .join('\n');
    dump.push({ where: `table ${table} (${rows.length} rows)`, text });
  }
  return dump;
}
