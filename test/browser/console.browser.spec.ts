import type { Browser, Page } from 'playwright-core';
import { DEMO_PLATFORMS, DemoHarness } from '../e2e/support/demo-harness';
import { SfsOffboardingWorker } from '../../src/sfs-auth/offboarding/offboarding.worker';
import { eventually, launchChromium, seriousA11yViolations, watchPage } from './support/chromium';

jest.setTimeout(120_000);

/** The admin console as a tenant admin meets it: the demo (console on), Chromium, a keyboard. */
describe.each(DEMO_PLATFORMS)('admin console in Chromium (%s)', (platform) => {
  const demo = new DemoHarness({ platform });
  let browser: Browser;
  let base: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    await demo.start(`browser_console_${platform}`, 'forRootAsync', {
      workers: { enabled: false, revocationGiveUpSeconds: 60 },
    });
    await demo.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(demo.app.getHttpServer().address() as { port: number }).port}`;
    for (const [tenantId, userId, clientKey = 'client-1'] of [
      ['acme', 'alice'],
      ['acme', 'bob'],
      ['acme', 'dave'],
      ['globex', 'gina'],
      ['acme', 'erin', 'client-2'],
      ['acme', 'fred', 'client-2'],
      ['acme', 'hank', 'client-3'],
      ['initech', 'ivy'],
    ]) {
      const login = await demo.http
        .post('/demo/login')
        .send({ tenantId, clientKey, userId })
        .expect(200);
      tokens[userId] = login.body.accessToken as string;
    }
    browser = await launchChromium();
  });
  afterEach(() => demo.sandbox.clearFaults());
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
    // The summary is its own request, answered independently of the token list.
    await expect(page.locator('#summary')).toContainTextEventually(/Data key version\s*0/);
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

  async function signedIn(key: 'acme' | 'acmeRead' | 'all', tenant = 'acme') {
    const page = await browser.newPage();
    const problems = watchPage(page, base);
    await page.goto(`${base}/sfs/admin/console`);
    await signIn(page, tenant, demo.keys[key]);
    await tokensTable(page).waitFor();
    return { page, problems };
  }

  it('a record’s details with its events; a bulk revoke shows the dry-run count and asks first', async () => {
    const { page, problems } = await signedIn('acme');
    await rowOf(page, 'erin')
      .getByRole('button', { name: /Details/ })
      .click();
    const details = page.getByRole('region', { name: 'Token details' });
    await expect(details).toContainTextEventually('client-2');
    await expect(details.getByRole('list', { name: 'Events' })).toContainTextEventually('issued');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByLabel('Client key', { exact: true }).fill('client-2');
    await page.getByRole('button', { name: 'Filter' }).click();
    // The filtered page replaces the whole list: a header and erin's and fred's rows.
    await expect(tokensTable(page).locator('tbody')).toHaveRowsEventually(2);
    expect(await tokensTable(page).textContent()).not.toContain('alice');
    expect(await tokensTable(page).textContent()).toContain('fred');
    await page.getByRole('button', { name: 'Revoke all matching' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect(dialog).toContainTextEventually(
      '2 live tokens of tenant acme with client key client-2',
    );
    // The dry run revoked nothing.
    expect(demo.sandbox.isTokenActive(tokens.erin, 'client')).toBe(true);
    await dialog.getByLabel('Reason').fill('client-2 retired');
    await dialog.getByRole('button', { name: 'Revoke 2 tokens' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(rowOf(page, 'erin')).toContainTextEventually('revoking');
    await demo.revokeNow();
    expect(demo.sandbox.isTokenActive(tokens.erin, 'client')).toBe(false);
    expect(demo.sandbox.isTokenActive(tokens.fred, 'client')).toBe(false);
    expect(demo.sandbox.isTokenActive(tokens.bob, 'client')).toBe(true);

    await page.getByRole('button', { name: 'Audit events' }).click();
    const events = page.getByRole('table', { name: 'Audit events' });
    await expect(events).toContainTextEventually('client-2 retired');
    expect(problems).toEqual({ errors: [], otherOrigins: [] });
    await page.close();
  });

  it('the revocation outbox shows a given-up revocation with its SFS error, and Retry sends it', async () => {
    const { page, problems } = await signedIn('acme');
    demo.sandbox.setFaults({ statusRates: { 503: 1 }, kinds: ['client.revoke'] });
    await rowOf(page, 'hank')
      .getByRole('button', { name: /Revoke/ })
      .click();
    await page.getByRole('dialog').getByLabel('Reason').fill('device lost');
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect(rowOf(page, 'hank')).toContainTextEventually('revoking');
    await demo.revokeNow();
    demo.clock.advance(61_000);
    await demo.revokeNow();
    await page.getByRole('button', { name: 'Revocations' }).click();
    const outbox = page.getByRole('table', { name: 'Revocations' });
    const hank = outbox.getByRole('row').filter({ hasText: 'hank' });
    await expect(hank).toContainTextEventually('failed');
    expect(await hank.textContent()).toContain('SFS_UNAVAILABLE');
    expect(await hank.textContent()).toContain('device lost');
    expect(await seriousA11yViolations(page)).toEqual([]);
    demo.sandbox.clearFaults();
    await hank.getByRole('button', { name: /Retry/ }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('SFS is back');
    await page.getByRole('dialog').getByRole('button', { name: 'Retry' }).click();
    await expect(hank).toContainTextEventually('pending');
    const retried = await demo.rows<{ reason: string }>(
      "SELECT reason FROM sfs_token_event WHERE type = 'revoke_retried' AND token_id = (SELECT id FROM sfs_client_token WHERE subject_id = 'hank')",
    );
    expect(retried).toContainEqual({ reason: 'SFS is back' });
    await demo.revokeNow();
    expect(demo.sandbox.isTokenActive(tokens.hank, 'client')).toBe(false);
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect(page.getByText('Nothing waiting')).toBeVisibleEventually();
    expect(problems).toEqual({ errors: [], otherOrigins: [] });
    await page.close();
  });

  it('a read-only key sees everything and is offered no action', async () => {
    const { page, problems } = await signedIn('acmeRead');
    await rowOf(page, 'bob').waitFor();
    expect(await page.getByText('Tenant acme (read-only)').isVisible()).toBe(true);
    expect(
      await tokensTable(page)
        .getByRole('button', { name: /^Revoke/ })
        .count(),
    ).toBe(0);
    for (const name of ['Revoke all matching', 'Mint', 'Offboarding']) {
      expect(await page.getByRole('button', { name, exact: true }).isVisible()).toBe(false);
    }
    await page.getByRole('button', { name: 'Revocations' }).click();
    expect(await page.getByRole('button', { name: 'Retry all failed' }).isVisible()).toBe(false);
    expect(problems).toEqual({ errors: [], otherOrigins: [] });
    await page.close();
  });

  it('only the * key is offered offboarding: the tenant id typed again, then the tombstone', async () => {
    const own = await signedIn('acme');
    expect(await own.page.getByRole('button', { name: 'Offboarding' }).isVisible()).toBe(false);
    await own.page.close();

    const { page, problems } = await signedIn('all', 'initech');
    await page.getByRole('button', { name: 'Offboarding' }).click();
    const submit = page.getByRole('button', { name: 'Offboard tenant' });
    await page.getByLabel('Type its id again to confirm').fill('initec');
    expect(await submit.isDisabled()).toBe(true);
    await page.getByLabel('Type its id again to confirm').fill('initech');
    await page.getByLabel('Why (for the audit trail)').fill('contract ended');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await submit.click();
    const tombstone = page.getByRole('region', { name: 'Offboarding' }).locator('#tombstone');
    await expect(tombstone).toContainTextEventually('contract ended');
    await demo.revokeNow();
    expect(demo.sandbox.isTokenActive(tokens.ivy, 'client')).toBe(false);
    demo.clock.advance(60_000);
    await demo.app.get(SfsOffboardingWorker).runOnce();
    // The summary (read every 5 s) shows the tombstone once the tenant is erased.
    await expect(tombstone).toContainTextEventually(/offboarded/);
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
      toBeVisibleEventually(): Promise<R>;
      toHaveRowsEventually(count: number): Promise<R>;
    }
  }
}
expect.extend({
  async toContainTextEventually(
    locator: { first(): { textContent(): Promise<string | null> } },
    expected: string | RegExp,
  ) {
    const matches = (text: string) =>
      typeof expected === 'string' ? text.includes(expected) : expected.test(text);
    const read = async () =>
      (
        (await locator
          .first()
          .textContent()
          .catch(() => '')) ?? ''
      ).trim();
    const text = await eventually(read, matches);
    return matches(text)
      ? { pass: true, message: () => `found ${String(expected)}` }
      : { pass: false, message: () => `expected ${String(expected)} in "${text}"` };
  },
  async toHaveRowsEventually(
    body: { locator(selector: string): { count(): Promise<number> } },
    count: number,
  ) {
    const seen = await eventually(
      () => body.locator('tr').count(),
      (n) => n === count,
    );
    return seen === count
      ? { pass: true, message: () => `${count} rows` }
      : { pass: false, message: () => `expected ${count} rows, saw ${seen}` };
  },
  async toBeVisibleEventually(locator: { isVisible(): Promise<boolean> }) {
    const visible = await eventually(() => locator.isVisible().catch(() => false), Boolean);
    return visible
      ? { pass: true, message: () => 'visible' }
      : { pass: false, message: () => 'never became visible' };
  },
});

/** A host that signs its admins in itself: its authorizer reads its own session cookie. */
describe.each(DEMO_PLATFORMS)('admin console behind the host’s own sign-in (%s)', (platform) => {
  const demo = new DemoHarness({ platform });
  let browser: Browser;
  let base: string;
  const SESSION = 'sso-session-0123456789abcdef';
  const ssoAuthorizer = {
    authorize(
      request: { headers: Record<string, string | string[] | undefined> },
      tenantId: string,
    ) {
      const cookie = String(request.headers.cookie ?? '');
      if (!cookie.split(/;\s*/).includes(`host_sso=${SESSION}`)) {
        return { allowed: false as const, reason: 'unauthenticated' as const };
      }
      return tenantId === 'acme'
        ? { allowed: true as const, actor: 'sso:ada@acme.example' }
        : { allowed: false as const, reason: 'forbidden' as const };
    },
  };

  beforeAll(async () => {
    await demo.start(`browser_console_sso_${platform}`, 'forRootAsync', {
      admin: { authorizer: ssoAuthorizer },
    });
    await demo.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(demo.app.getHttpServer().address() as { port: number }).port}`;
    await demo.http
      .post('/demo/login')
      .send({ tenantId: 'acme', clientKey: 'client-1', userId: 'sso-user' })
      .expect(200);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await demo.close();
  });

  it('signs in with no key when the host’s session cookie is there, and not without it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchPage(page, base);
    await page.goto(`${base}/sfs/admin/console`);
    await page.getByLabel('Tenant').fill('acme');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainTextEventually(/credentials/i);

    await context.addCookies([
      { name: 'host_sso', value: SESSION, url: base, httpOnly: true, sameSite: 'Strict' },
    ]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const table = page.getByRole('table', { name: 'Tokens' });
    await table.getByRole('row').filter({ hasText: 'sso-user' }).waitFor();
    expect(await page.getByText('Tenant acme').isVisible()).toBe(true);
    await table
      .getByRole('row')
      .filter({ hasText: 'sso-user' })
      .getByRole('button', { name: /Revoke/ })
      .click();
    await page.getByRole('dialog').getByLabel('Reason').fill('via SSO');
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect(table.getByRole('row').filter({ hasText: 'sso-user' })).toContainTextEventually(
      'revoking',
    );
    const [event] = await demo.rows<{ actor: string }>(
      "SELECT actor FROM sfs_token_event WHERE type = 'revoke_requested' AND reason = 'via SSO'",
    );
    expect(event.actor).toBe('sso:ada@acme.example');
    expect(problems).toEqual({ errors: [], otherOrigins: [] });
    await context.close();
  });
});
