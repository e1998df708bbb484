import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/dev/embedded-postgres';
import { DemoProcess, newcomerEnv } from './support/demo-process';
import { renderedDom } from './support/headless-chromium';
import { launchChromium, watchPage } from '../browser/support/chromium';

jest.setTimeout(240_000);

/** What the README walkthrough does, with fetch instead of curl. */
async function walkthrough(base: string, acmeKey: string): Promise<Record<string, unknown>> {
  const json = { 'Content-Type': 'application/json' };
  const admin = { Authorization: `Bearer ${acmeKey}` };
  const login = await fetch(`${base}/demo/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ tenantId: 'acme', clientKey: 'client-1', userId: 'alice' }),
  });
  expect(login.status).toBe(200);
  const token = (await login.json()) as { tokenId: string; accessToken: string };
  const list = await fetch(`${base}/sfs/admin/tenants/acme/tokens`, { headers: admin });
  const listed = (await list.json()) as { items: Array<{ id: string; status: string }> };
  expect(listed.items).toContainEqual(
    expect.objectContaining({ id: token.tokenId, status: 'active' }),
  );
  expect(JSON.stringify(listed)).not.toContain(token.accessToken);
  const logout = await fetch(`${base}/demo/logout`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ tenantId: 'acme', userId: 'alice' }),
  });
  expect(logout.status).toBe(204);
  // The logout nudges the revocation worker; SFS confirms within a few sweeps.
  for (let i = 0; i < 100; i++) {
    const record = await fetch(`${base}/sfs/admin/tenants/acme/tokens/${token.tokenId}`, {
      headers: admin,
    }).then((r) => r.json() as Promise<{ status: string }>);
    if (record.status === 'revoked') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const summary = await fetch(`${base}/sfs/admin/tenants/acme/summary`, { headers: admin });
  return (await summary.json()) as Record<string, unknown>;
}

/**
 * The console as the README walks a newcomer through it: alice logs in, the admin signs in with
 * the demo key, sees her token, revokes it from the dialog and sees it revoked (the demo's own
 * workers confirm it at the sandbox), with no script error and nothing from another origin.
 */
async function consoleRevokes(base: string, acmeKey: string): Promise<void> {
  const login = await fetch(`${base}/demo/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenantId: 'acme', clientKey: 'client-1', userId: 'alice' }),
  });
  expect(login.status).toBe(200);
  const { tokenId } = (await login.json()) as { tokenId: string };
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems = watchPage(page, base);
    await page.goto(`${base}/sfs/admin/console`);
    await page.getByLabel('Tenant').fill('acme');
    await page.getByLabel('Admin key').fill(acmeKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.locator(`tr[data-token="${tokenId}"]`);
    await row.getByRole('button', { name: /Revoke/ }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('smoke test');
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('revoked', { exact: true }).waitFor({ timeout: 30_000 });
    expect(problems).toEqual({ errors: [], otherOrigins: [] });
  } finally {
    await browser.close();
  }
}

describe('npm start (a newcomer, nothing configured)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sfs-demo-'));
  // Like a checkout's .data: traversable by the postgres user the embedded server runs as (root).
  chmodSync(dataDir, 0o755);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts, serves the walkthrough and /docs, stops cleanly, and restarts on the same .data', async () => {
    const port = await findFreePort();
    const env = newcomerEnv({ SFS_DEMO_DATA_DIR: dataDir, PORT: String(port) });
    const base = `http://127.0.0.1:${port}`;

    const first = DemoProcess.start('npm', ['start'], env);
    let stopped: { code: number | null | 'timeout'; leftBehind: boolean } | undefined;
    try {
      await first.waitFor('listening on', 180_000);
      expect(first.output).toContain('Demo admin keys (DEMO ONLY');
      expect(first.output).toContain('platform : express');
      const health = await fetch(`${base}/health`).then((r) => r.json());
      expect(health).toEqual({ status: 'ok', db: 'up', sfs: 'sandbox' });
      const acmeKey = /acme=(\S+?)(,|\n|$)/.exec(readFileSync(join(dataDir, 'admin-keys'), 'utf8'));
      expect(acmeKey).not.toBeNull();
      expect(first.output).toContain((acmeKey as RegExpExecArray)[1]);
      const summary = await walkthrough(base, (acmeKey as RegExpExecArray)[1]);
      expect(summary).toMatchObject({ counts: { revoked: 1, active: 0 }, pendingRevocations: 0 });

      const dom = await renderedDom(`${base}/docs`);
      for (const path of [
        '/sfs/admin/tenants/{tenantId}/tokens',
        '/sfs/admin/tenants/{tenantId}/summary',
        '/demo/login',
      ]) {
        expect(dom).toContain(path);
      }
    } finally {
      // SIGTERM to npm alone, as `docker stop` sends it to a container whose command is
      // `npm start`: the app must get it, drain and exit, leaving nothing behind.
      const code = await first.signal('SIGTERM', 30_000);
      const leftBehind = first.groupAlive();
      if (leftBehind) await first.stop('SIGKILL', 5_000);
      stopped = { code, leftBehind };
    }
    expect(stopped).toEqual({ code: 0, leftBehind: false });
    expect(first.output).toContain('stopped');

    // Second start: same database and keys; keys are not printed again; on Fastify this time,
    // Swagger UI included. With OTEL_DEMO=console the OpenTelemetry SDK prints the module's spans
    // and (at the latest on stop) its metrics.
    const second = DemoProcess.start('node', ['dist/src/main.js'], {
      ...env,
      OTEL_DEMO: 'console',
      SFS_DEMO_PLATFORM: 'fastify',
    });
    const login: { accessToken?: string } = {};
    try {
      await second.waitFor('listening on', 60_000);
      expect(second.output).not.toContain('Demo admin keys (DEMO ONLY');
      expect(second.output).toContain('platform : fastify');
      const acmeKey = /acme=(\S+?)(,|\n|$)/.exec(readFileSync(join(dataDir, 'admin-keys'), 'utf8'));
      const summary = await fetch(`${base}/sfs/admin/tenants/acme/summary`, {
        headers: { Authorization: `Bearer ${(acmeKey as RegExpExecArray)[1]}` },
      }).then((r) => r.json());
      expect(summary).toMatchObject({ counts: { revoked: 1 } });
      expect(await fetch(`${base}/health`).then((r) => r.json())).toEqual({
        status: 'ok',
        db: 'up',
        sfs: 'sandbox',
      });
      const dom = await renderedDom(`${base}/docs`);
      expect(dom).toContain('/sfs/admin/tenants/{tenantId}/tokens');
      expect(dom).toContain('/demo/login');
      await consoleRevokes(base, (acmeKey as RegExpExecArray)[1]);
      const response = await fetch(`${base}/demo/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ tenantId: 'acme', clientKey: 'client-1', userId: 'otel' }),
      });
      Object.assign(login, await response.json());
      await second.waitFor("name: 'sfs-auth.mint'", 10_000);
    } finally {
      expect(await second.stop('SIGINT')).toBe(0);
    }
    expect(second.output).toContain('otel     : OpenTelemetry SDK');
    expect(second.output).toContain("name: 'http.client.request.duration'");
    expect(second.output).toContain("'sfs_auth.outcome': 'minted'");
    expect(login.accessToken).toEqual(expect.any(String));
    expect(second.output).not.toContain(login.accessToken);
  });

  it('refuses to boot with the admin API enabled and no authorizer, saying why', async () => {
    const port = await findFreePort();
    const env = newcomerEnv({ SFS_DEMO_DATA_DIR: dataDir, PORT: String(port), SFS_ADMIN_KEYS: '' });
    const app = DemoProcess.start('node', ['dist/src/main.js'], env);
    expect(await app.waitForExit(60_000)).toBe(1);
    expect(app.output).toContain('the admin API is enabled (adminApi: true) but has no authorizer');
    expect(app.output).not.toContain('listening on');
  });
});
