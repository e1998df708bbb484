/**
 * The configuration tables of `docs/configuration.md`, rendered from `SFS_OPTION_TABLE`.
 * `npm run docs:options` writes them into that page between the `options-table` markers;
 * `test/docs/options.spec.ts` fails when the page differs from what this renders.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SFS_OPTION_TABLE, type SfsOptionRow } from '../../src/sfs-auth/options/option-table';

export const OPTIONS_TABLE_START = '<!-- options-table:start (npm run docs:options) -->';
export const OPTIONS_TABLE_END = '<!-- options-table:end -->';
export const CONFIGURATION_PAGE = join(__dirname, '..', '..', 'docs', 'configuration.md');

function defaultText(row: SfsOptionRow): string {
  if (row.kind === 'other') return row.defaultText;
  if (row.kind === 'boolean') return String(row.default);
  return row.defaultNote ? `${row.default} ${row.defaultNote}` : String(row.default);
}

function bounds(row: SfsOptionRow): string {
  return row.kind === 'integer' ? `${row.min}–${row.max}` : '';
}

/** Both tables (variables, then options without a variable), as the page holds them. */
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

/** The page's text between the markers (without the marker lines). */
export function pageOptionTables(page: string): string | undefined {
  const start = page.indexOf(OPTIONS_TABLE_START);
  const end = page.indexOf(OPTIONS_TABLE_END);
  if (start < 0 || end < start) return undefined;
  return page.slice(start + OPTIONS_TABLE_START.length, end).trim();
}

if (require.main === module) {
  const page = readFileSync(CONFIGURATION_PAGE, 'utf8');
  const start = page.indexOf(OPTIONS_TABLE_START);
  const end = page.indexOf(OPTIONS_TABLE_END);
  if (start < 0 || end < start)
    throw new Error('docs/configuration.md has no options-table markers');
  const next = `${page.slice(0, start + OPTIONS_TABLE_START.length)}\n${renderOptionTables()}\n${page.slice(end)}`;
  writeFileSync(CONFIGURATION_PAGE, next);
  console.log('docs/configuration.md: configuration tables rewritten from SFS_OPTION_TABLE');
}
