import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** The package root (the folder of this package's package.json), from source or from dist. */
function packageRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && /"name": "nestjs-sfs-auth"/.test(readFileSync(manifest, 'utf8'))) {
      return dir;
    }
  }
  throw new Error('nestjs-sfs-auth: package.json not found above the demo');
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>nestjs-sfs-auth demo: the browser's token</title>
  <script type="module" src="/demo/assets/demo-page.js"></script>
</head>
<body>
  <main>
    <h1>The signed-in user's SFS token, in the browser</h1>
    <p>DEMO ONLY: signing in here names a user without checking anything.</p>
    <form id="login">
      <label for="tenant">Tenant</label> <input id="tenant" value="acme" required>
      <label for="client">Client key</label> <input id="client" value="client-1" required>
      <label for="user">User</label> <input id="user" value="alice" required>
      <button type="submit">Sign in</button>
    </form>
    <button type="button" id="logout">Sign out</button>
    <dl>
      <dt>State</dt><dd id="state" role="status">not signed in</dd>
      <dt>Token (last 8 characters)</dt><dd id="token">–</dd>
      <dt>Expires</dt><dd id="expires">–</dd>
      <dt>Renews</dt><dd id="renews">–</dd>
    </dl>
  </main>
</body>
</html>
`;

// The page's script: nestjs-sfs-auth/browser holds the token; the page only shows it.
const SCRIPT = `import { createSfsTokenSource } from '/demo/assets/sfs-token-source.js';
const $ = (id) => document.getElementById(id);
let source = null;
function show(token) {
  $('state').textContent = 'signed in';
  $('token').textContent = token.accessToken.slice(-8);
  $('expires').textContent = token.expiresAt.toISOString();
  $('renews').textContent = token.renewAt.toISOString();
}
async function follow() {
  source?.close();
  source = createSfsTokenSource({ url: '/sfs/session/token' });
  window.demoTokenSource = source;
  source.onChange(show);
  source.onRevoked((reason) => {
    $('state').textContent = 'revoked: ' + reason;
    $('token').textContent = '–';
  });
  try {
    await source.getToken();
  } catch {
    $('state').textContent = 'not signed in';
  }
}
$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = { tenantId: $('tenant').value, clientKey: $('client').value, userId: $('user').value };
  const answer = await fetch('/demo/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (answer.ok) await follow();
  else $('state').textContent = 'sign-in failed: ' + answer.status;
});
$('logout').addEventListener('click', async () => {
  await fetch('/demo/logout', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: $('tenant').value, userId: $('user').value }),
  });
});
void follow();
`;

const SECURITY =
  "default-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/**
 * DEMO ONLY: `GET /demo`, a page that signs a user in (the demo_session cookie) and keeps their
 * token live with `nestjs-sfs-auth/browser`: it swaps to each replacement and shows a revocation.
 */
@ApiExcludeController()
@Controller('demo')
export class DemoPageController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', SECURITY)
  @Header('Cache-Control', 'no-store')
  page(): string {
    return PAGE;
  }

  @Get('assets/demo-page.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return SCRIPT;
  }

  /** The package's own build of `nestjs-sfs-auth/browser` (`npm run build:browser`). */
  @Get('assets/sfs-token-source.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  helper(): string {
    const file = join(packageRoot(), 'dist', 'browser', 'index.js');
    if (!existsSync(file)) throw new NotFoundException('run npm run build:browser');
    return readFileSync(file, 'utf8');
  }
}
