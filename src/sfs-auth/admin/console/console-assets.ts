import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The console's prebuilt files (`scripts/build-browser.mjs` bundles `console/` into `assets/`
 * next to this file, in the source tree and in the package), read once on first use.
 */
export const SFS_CONSOLE_ASSETS = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const;

/** A file the console page loads. */
export type SfsConsoleAsset = keyof typeof SFS_CONSOLE_ASSETS;

const cache = new Map<string, string>();

/** The text of `assets/<name>`; throws when the console was not built. */
export function sfsConsoleFile(name: SfsConsoleAsset | 'index.html'): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(__dirname, 'assets', name), 'utf8');
    cache.set(name, text);
  }
  return text;
}
