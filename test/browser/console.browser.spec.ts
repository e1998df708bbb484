import type { Browser, Page } from 'playwright-core';
import { DEMO_PLATFORMS, DemoHarness } from '../e2e/support/demo-harness';
import { launchChromium, seriousA11yViolations, watchPage } from './support/chromium';

jest.setTimeout(120_000);

/** The admin console as a tenant admin meets it: the demo (console on), Chromium, a keyboard. */
describe.each(DEMO_PLATFORMS)('admin console in Chromium (%s)', (platform) => {
  const demo = new DemoHarness({ platform });
  let browser: Browser;
  let base: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    await demo.start(`browser_console_${platform}`);
    await demo.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(demo.app.getHttpServer().address() as { port: number }).port}`;
    for (const [tenantId, userId] of [
      ['acme', 'alice'],
      ['acme', 'bob'],
      ['acme', 'dave'],
      ['globex', 'gina'],
    ]) {
      const login = await demo.http
        .post('/demo/login')
        .send({ tenantId, clientKey: 'client-1', userId })
        .expect(200);
      tokens[userId] = login.body.accessToken as string;
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await demo.close();
  });

  const tokensTable = (page: Page) => page.getByRole('table', { name: 'Tokens' });
  const rowOf = (page: Page, subject: string) =>
    tokensTable(page).getByRole('row').filter({ hasText: subject });

  async function signIn(page: Page, tenant: string, key: string): Promise<void> {
    await page.getByLabel('Tenant').fill(tenant);
    await page.getByLabel('Admin key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('serves the page with a strict CSP, nosniff, no referrer, and no-store', async () => {
    const page = await demo.http.get('/sfs/admin/console').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script
    const script = await demo.http.get('/sfs/admin/console/assets/console.js').expect(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    await demo.http.get('/sfs/admin/console/assets/package.json').expect(404);
  });

  it('wrong key, then another tenant’s key: the API’s message in an alert, no data', async () => {
    const page = await browser.newPage();
    const problems = watchPage(page, base);
    await page.goto(`${base}/sfs/admin/console`);
    await signIn(page, 'acme', 'not-the-key-0000000000');
    await expect(page.getByRole('alert')).toContainTextEventually(/credentials/i);
    expect(await tokensTable(page).isVisible()).toBe(false);
    await signIn(page, 'acme', demo.keys.globex);
    await expect(page.getByRole('alert')).toContainTextEventually(/not an admin of tenant acme/i);
    expect(await tokensTable(page).isVisible()).toBe(false);
    expect(problems).toEqual({ errors: [], otherOrigins: [] });
    await page.close();
  });

  it('signs in, lists the tokens, revokes one from the dialog; it is revoked at SFS, the rest untouched', async () => {
    const page = await browser.newPage();
    const problems = watchPage(page, base);
    await page.goto(`${base}/sfs/admin/console`);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // By keyboard only: Tenant, Tab, Admin key, Enter.
    await page.getByLabel('Tenant').focus();
    await page.keyboard.type('acme');
    await page.keyboard.press('Tab');
    await page.keyboard.type(demo.keys.acme);
    await page.keyboard.press('Enter');
    await tokensTable(page).waitFor();
    for (const subject of ['alice', 'bob', 'dave']) {
      await rowOf(page, subject).waitFor();
      expect(await rowOf(page, subject).textContent()).toContain('active');
    }
    expect(await tokensTable(page).textContent()).not.toContain('gina');
    const content = await page.content();
    for (const token of Object.values(tokens)) expect(content).not.toContain(token);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Revoke alice with the mouse: the dialog asks for a reason.
    await rowOf(page, 'alice')
      .getByRole('button', { name: /Revoke/ })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByLabel('Reason').fill('left the company');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(rowOf(page, 'alice')).toContainTextEventually('revoking');
    await demo.revokeNow();
    await expect(rowOf(page, 'alice')).toContainTextEventually('revoked');
    expect(demo.sandbox.isTokenActive(tokens.alice, 'client')).toBe(false);
    expect(demo.sandbox.isTokenActive(tokens.bob, 'client')).toBe(true);
    expect(await rowOf(page, 'bob').textContent()).toContain('active');
    const events = await demo.rows<{ reason: string; actor: string }>(
      "SELECT reason, actor FROM sfs_token_event WHERE type = 'revoke_requested' AND reason = $1",
      ['left the company'],
    );
    expect(events).toEqual([
      { reason: 'left the company', actor: expect.stringMatching(/^admin:key:acme#/) },
    ]);

    // dave by keyboard: the dialog opens on Enter, Escape closes it and nothing happens.
    await rowOf(page, 'dave')
      .getByRole('button', { name: /Revoke/ })
      .focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await rowOf(page, 'dave').textContent()).toContain('active');

    if (process.env.CONSOLE_SCREENSHOT && platform === 'express') {
      await page.setViewportSize({ width: 1180, height: 720 });
      await page.screenshot({ path: process.env.CONSOLE_SCREENSHOT });
    }

    // Sign out forgets the key; a reload shows the sign-in form; nothing kept in the browser.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await tokensTable(page).isVisible()).toBe(false);
    const stored = await page.evaluate(
      '({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, url: location.href })',
    );
    expect(stored).toEqual({ local: 0, session: 0, cookie: '', url: `${base}/sfs/admin/console` });
    expect(problems).toEqual({ errors: [], otherOrigins: [] });
    await page.close();
  });
});

/** Polls a locator's text until it matches (the console updates in place, on its own timers). */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toContainTextEventually(expected: string | RegExp): Promise<R>;
    }
  }
}
expect.extend({
  async toContainTextEventually(
    locator: {
      textContent(): Promise<string | null>;
      first(): { textContent(): Promise<string | null> };
    },
    expected: string | RegExp,
  ) {
    let text = '';
    for (let i = 0; i < 100; i++) {
      text = (
        (await locator
          .first()
          .textContent()
          .catch(() => '')) ?? ''
      ).trim();
      const ok = typeof expected === 'string' ? text.includes(expected) : expected.test(text);
      if (ok) return { pass: true, message: () => `found ${String(expected)}` };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { pass: false, message: () => `expected ${String(expected)} in "${text}"` };
  },
});
