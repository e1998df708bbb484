import type { Browser } from 'playwright-core';
import { DEMO_PLATFORMS, DemoHarness } from '../e2e/support/demo-harness';
import { eventually, launchChromium, watchPage } from './support/chromium';

jest.setTimeout(120_000);

/** The demo page with nestjs-sfs-auth/browser, in Chromium: a live token through a refresh and a logout. */
describe.each(DEMO_PLATFORMS)('browser helper on the demo page (%s)', (platform) => {
  const demo = new DemoHarness({ platform });
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    await demo.start(`browser_handoff_${platform}`);
    await demo.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(demo.app.getHttpServer().address() as { port: number }).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await demo.close();
  });

  it('holds a live token through an admin refresh and learns of a logout on another device', async () => {
    const page = await browser.newPage();
    const problems = watchPage(page, base);
    let asked = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/sfs/session/token') asked += 1;
    });
    await page.goto(`${base}/demo`);
    await page.getByLabel('User').fill('pia');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const state = page.getByRole('status');
    expect(
      await eventually(
        () => state.textContent(),
        (t) => t === 'signed in',
      ),
    ).toBe('signed in');
    const first = (await page.evaluate('window.demoTokenSource.getToken()')) as string;
    const [row] = await demo.rows<{ id: string }>(
      "SELECT id FROM sfs_client_token WHERE subject_id = 'pia' AND status = 'active'",
    );
    expect(demo.sandbox.isTokenActive(first, 'client')).toBe(true);
    expect(await page.locator('#token').textContent()).toBe(first.slice(-8));
    // The cookie is HttpOnly: the page's script cannot read it.
    expect(await page.evaluate('document.cookie')).toBe('');

    await demo.http
      .post(`/sfs/admin/tenants/acme/tokens/${row.id}/refresh`)
      .set(demo.auth('acme'))
      .expect(200);
    const shown = await eventually(
      () => page.locator('#token').textContent(),
      (t) => t !== first.slice(-8),
    );
    const second = (await page.evaluate('window.demoTokenSource.getToken()')) as string;
    expect(second).not.toBe(first);
    expect(shown).toBe(second.slice(-8));
    expect(demo.sandbox.isTokenActive(second, 'client')).toBe(true);

    // Without the stream (live: false, as where EventSource is missing) it fetches the same token.
    const polled = await page.evaluate(`import('/demo/assets/sfs-token-source.js').then((m) =>
      m.createSfsTokenSource({ url: '/sfs/session/token', live: false }).getToken())`);
    expect(polled).toBe(second);

    // A logout elsewhere (another device, the same user).
    await demo.http.post('/demo/logout').send({ tenantId: 'acme', userId: 'pia' }).expect(204);
    expect(
      await eventually(
        () => state.textContent(),
        (t) => t?.startsWith('revoked') === true,
      ),
    ).toBe('revoked: demo logout');
    expect(await page.locator('#token').textContent()).toBe('–');
    expect(problems.otherOrigins).toEqual([]);
    // This browser's clock is days ahead of the server's (a manual clock): renewAt is always past,
    // yet renewals back off instead of asking in a loop.
    expect(asked).toBeLessThan(20);
    // The stream's reconnection after the end is refused (401) by design; nothing else failed.
    expect(problems.errors.filter((e) => !/401|EventSource/.test(e))).toEqual([]);
    await page.close();
  });
});
