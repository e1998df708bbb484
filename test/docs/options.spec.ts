import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SFS_OPTION_TABLE } from '../../src/sfs-auth/options/option-table';
import { CONFIGURATION_PAGE, pageOptionTables, renderOptionTables } from '../support/option-tables';

const INTERFACE = readFileSync(
  join(__dirname, '..', '..', 'src/sfs-auth/options/sfs-auth-options.interface.ts'),
  'utf8',
);

/** The body of `interface <name> { ... }` in the options interface file. */
function interfaceBody(name: string): string {
  const start = INTERFACE.indexOf(`export interface ${name} {`);
  if (start < 0) throw new Error(`no interface ${name}`);
  return INTERFACE.slice(start, INTERFACE.indexOf('\n}', start));
}

/** The TSDoc `@default` of the property at `path` (e.g. `workers.leaseMs`). */
function documentedDefault(path: string): string | undefined {
  const parts = path.split('.');
  let body = interfaceBody('SfsAuthModuleOptions');
  for (const part of parts.slice(0, -1)) {
    const type = new RegExp(`\\n  ${part}\\?: (\\w+);`).exec(body)?.[1];
    if (!type) throw new Error(`no property ${part} in the options interface`);
    body = interfaceBody(type);
  }
  const leaf = parts[parts.length - 1];
  const at = body.search(new RegExp(`\\n  ${leaf}\\?:`));
  if (at < 0) throw new Error(`no property ${path} in the options interface`);
  const doc = body.slice(body.lastIndexOf('/**', at), at);
  return /@default (\S+)/.exec(doc)?.[1];
}

describe('options described once (src/sfs-auth/options/option-table.ts)', () => {
  it("docs/configuration.md's tables are the table's rendering (npm run docs:options)", () => {
    expect(pageOptionTables(readFileSync(CONFIGURATION_PAGE, 'utf8'))).toBe(renderOptionTables());
  });

  it('every integer and boolean option documents its default in its TSDoc', () => {
    const mismatches = SFS_OPTION_TABLE.filter((row) => row.kind !== 'other')
      .map((row) => ({
        path: row.path,
        table: String(row.default),
        tsdoc: documentedDefault(row.path),
      }))
      .filter((row) => row.table !== row.tsdoc);
    expect(mismatches).toEqual([]);
  });

  it('names each option and each variable once', () => {
    const paths = SFS_OPTION_TABLE.map((row) => row.path);
    const envs = SFS_OPTION_TABLE.flatMap((row) => (row.env ? [row.env] : []));
    expect(new Set(paths).size).toBe(paths.length);
    expect(new Set(envs).size).toBe(envs.length);
  });
});
