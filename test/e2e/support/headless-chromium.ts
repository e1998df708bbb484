import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's Chromium (installed by `.ci/run` when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Loads `url` in headless Chromium, lets its scripts run (virtual time), and returns the DOM as
 * rendered. The flags keep Chromium off the (closed) network and work as root.
 */
export async function renderedDom(url: string, budgetMs = 15_000): Promise<string> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
  try {
    return await new Promise<string>((resolve, reject) => {
      execFile(
        CHROMIUM,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--no-first-run',
          `--user-data-dir=${profile}`,
          `--virtual-time-budget=${budgetMs}`,
          '--dump-dom',
          url,
        ],
        { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      );
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
