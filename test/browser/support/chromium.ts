import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from '../../e2e/support/headless-chromium';

/** Debian's Chromium through playwright-core (no browser download: the system binary). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** What a page did that a user would not want: script errors, failed loads, other origins. */
export interface PageProblems {
  readonly errors: string[];
  readonly otherOrigins: string[];
}

/**
 * Watches `page` for script errors, console errors and requests to any origin but `origin`.
 * Chromium asks for `/favicon.ico` by itself; its 404 is not the page's doing.
 */
export function watchPage(page: Page, origin: string): PageProblems {
  const problems: PageProblems = { errors: [], otherOrigins: [] };
  page.on('pageerror', (error) => problems.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (message.location().url.endsWith('/favicon.ico')) return;
    // Error answers of the admin API are expected (a wrong key) and shown in the page itself.
    if (/status of (401|403|404|409|429)/.test(message.text())) return;
    problems.errors.push(`console: ${message.text()}`);
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.origin !== origin)
      problems.otherOrigins.push(request.url());
  });
  return problems;
}

/**
 * Reads `read` until `accept` takes its value, every 100 ms for up to 15 s (pages update on their
 * own timers and streams); returns the last value read either way, for the assertion to judge.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
): Promise<T> {
  let value = await read();
  for (let i = 0; i < 150 && !accept(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Through DevTools, not a <script> tag: the page's CSP (rightly) refuses inline scripts.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(options: object): Promise<AxeResult> } })
      .axe;
    return axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

interface AxeResult {
  violations: Array<{
    id: string;
    impact: string | null;
    help: string;
    nodes: Array<{ target: string[] }>;
  }>;
}
