/**
 * The README's configuration tables, rendered from `SFS_OPTION_TABLE`. `npm run docs:options`
 * writes them into README.md between the `options-table` markers; `test/docs/options.spec.ts`
 * fails when the README differs from what this renders.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SFS_OPTION_TABLE, type SfsOptionRow } from '../../src/sfs-auth/options/option-table';

export const OPTIONS_TABLE_START = '<!-- options-table:start (npm run docs:options) -->';
export const OPTIONS_TABLE_END = '<!-- options-table:end -->';
export const README_PATH = join(__dirname, '..', '..', 'README.md');

function defaultText(row: SfsOptionRow): string {
  if (row.kind === 'other') return row.defaultText;
  if (row.kind === 'boolean') return String(row.default);
  return row.defaultNote ? `${row.default} ${row.defaultNote}` : String(row.default);
}

function bounds(row: SfsOptionRow): string {
  return row.kind === 'integer' ? `${row.min}–${row.max}` : '';
}

/** Both tables (variables, then options without a variable), as the README holds them. */
export function renderOptionTables(): string {
  const withVariable = SFS_OPTION_TABLE.filter((row) => row.env);
  const without = SFS_OPTION_TABLE.filter((row) => !row.env);
  return [
    '| variable | option | meaning | default | bounds |',
    '|---|---|---|---|---|',
    ...withVariable.map(
      (row) =>
        `| \`${row.env}\` | \`${row.path}\` | ${row.doc} | ${defaultText(row)} | ${bounds(row)} |`,
    ),
    '',
    'Options without a variable (all optional; see the TSDoc of `SfsAuthModuleOptions`):',
    '',
    '| option | meaning | default | bounds |',
    '|---|---|---|---|',
    ...without.map(
      (row) => `| \`${row.path}\` | ${row.doc} | ${defaultText(row)} | ${bounds(row)} |`,
    ),
  ].join('\n');
}

/** The README's text between the markers (without the marker lines). */
export function readmeOptionTables(readme: string): string | undefined {
  const start = readme.indexOf(OPTIONS_TABLE_START);
  const end = readme.indexOf(OPTIONS_TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + OPTIONS_TABLE_START.length, end).trim();
}

if (require.main === module) {
  const readme = readFileSync(README_PATH, 'utf8');
  const start = readme.indexOf(OPTIONS_TABLE_START);
  const end = readme.indexOf(OPTIONS_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no options-table markers');
  const next = `${readme.slice(0, start + OPTIONS_TABLE_START.length)}\n${renderOptionTables()}\n${readme.slice(end)}`;
  writeFileSync(README_PATH, next);
  console.log('README.md: configuration tables rewritten from SFS_OPTION_TABLE');
}
