import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { SFS_AUTH_EVENTS, SfsLoginEvent, SfsLogoutEvent, SfsTokenService } from 'nestjs-sfs-auth';
import { SfsSandbox } from 'nestjs-sfs-auth/testing';
import { AppModule } from './app.module';
import { HostEventLog } from './host-event.log';

/**
 * A fresh host app built from the packed tarball, run with plain `node` by test/hosts/main.ts.
 * Prints one line per check, `ok - <name>` or `not ok - <name> # <why>`, and exits 1 on a failure.
 */
let failures = 0;

async function check(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    console.log(`ok - ${name}`);
  } catch (error) {
    failures += 1;
    console.log(`not ok - ${name} # ${error instanceof Error ? error.message : String(error)}`);
  }
}

function expect(condition: boolean, why: string): void {
  if (!condition) throw new Error(why);
}

async function until(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function main(): Promise<void> {
  const sandbox = await SfsSandbox.start();
  const adminKey = randomBytes(24).toString('base64url');
  Object.assign(process.env, sandbox.env(), {
    // The runner's key when it gives one: its `doctor` run then opens what this host stored.
    SFS_ENCRYPTION_KEYS:
      process.env.SFS_ENCRYPTION_KEYS ?? `k1:${randomBytes(32).toString('base64')}`,
    SFS_ADMIN_KEYS: `acme=${adminKey}`,
    SFS_ADMIN_CONSOLE: 'true',
  });

  let app: INestApplication | undefined;
  const platform = process.env.HOST_PLATFORM === 'fastify' ? 'fastify' : 'express';
  await check(`boots with one copy of Nest on ${platform}`, async () => {
    const logger: ('error' | 'warn')[] = ['error', 'warn'];
    if (platform === 'fastify') {
      // Only the Fastify host has the package: loaded by name, as the README's adapter line does.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { FastifyAdapter } = require('@nestjs/platform-fastify') as {
        FastifyAdapter: new (options: object) => object;
      };
      const adapter = new FastifyAdapter({ routerOptions: { maxParamLength: 1024 } });
      app = await NestFactory.create(AppModule, adapter as never, { logger });
    } else {
      app = await NestFactory.create(AppModule, { logger });
    }
    await app.listen(0, '127.0.0.1');
  });
  if (!app) return;
  const address = app.getHttpServer().address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;
  const tokens = app.get(SfsTokenService);
  const events = app.get(EventEmitter2);
  const heard = app.get(HostEventLog);

  await check('getClientToken mints a token SFS accepts', async () => {
    const token = await tokens.getClientToken({ tenantId: 'acme', clientKey: 'client-1' });
    expect(token.tokenType === 'Bearer', `tokenType ${token.tokenType}`);
    expect(sandbox.tokenInfo(token.accessToken)?.active === true, 'the sandbox does not know it');
    const again = await tokens.getClientToken({ tenantId: 'acme', clientKey: 'client-1' });
    expect(again.tokenId === token.tokenId, 'a second call minted again');
  });

  let aliceToken = '';
  await check(
    "sfs-auth.login through the host's EventEmitter2 mints; the host hears token.issued",
    async () => {
      const mintsBefore = sandbox.calls({ kind: 'client.create' }).length;
      await events.emitAsync(SFS_AUTH_EVENTS.login, new SfsLoginEvent('acme', 'client-1', 'alice'));
      expect(sandbox.calls({ kind: 'client.create' }).length === mintsBefore + 1, 'no mint at SFS');
      await until('token.issued', () => heard.issued.some((e) => e.subjectId === 'alice'));
      const token = await tokens.getClientToken({
        tenantId: 'acme',
        clientKey: 'client-1',
        subjectId: 'alice',
      });
      expect(sandbox.calls({ kind: 'client.create' }).length === mintsBefore + 1, 'minted twice');
      aliceToken = token.accessToken;
    },
  );

  await check('sfs-auth.logout revokes at SFS; the host hears token.revoked', async () => {
    await events.emitAsync(SFS_AUTH_EVENTS.logout, new SfsLogoutEvent('acme', 'alice'));
    await until(
      'the revocation at SFS',
      () => sandbox.tokenInfo(aliceToken)?.revokedAt !== undefined,
    );
    await until('token.revoked', () => heard.revoked.some((e) => e.subjectId === 'alice'));
  });

  await check('the admin API answers 200 with a key and 401 without', async () => {
    const url = `${base}/sfs/admin/tenants/acme/tokens`;
    const withKey = await fetch(url, { headers: { authorization: `Bearer ${adminKey}` } });
    const body = (await withKey.json()) as { items?: unknown[] };
    expect(withKey.status === 200, `with the key: ${withKey.status}`);
    expect(Array.isArray(body.items) && body.items.length >= 2, 'the list misses records');
    const without = await fetch(url);
    expect(without.status === 401, `without a key: ${without.status}`);
  });

  await check(
    `the admin console's page and files come from the tarball on ${platform}`,
    async () => {
      const page = await fetch(`${base}/sfs/admin/console`);
      const html = await page.text();
      expect(page.status === 200, `the page: ${page.status}`);
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp.includes("default-src 'self'"), `CSP: ${csp}`);
      for (const file of ['console.js', 'console.css']) {
        expect(
          html.includes(`/sfs/admin/console/assets/${file}`),
          `the page does not load ${file}`,
        );
        const asset = await fetch(`${base}/sfs/admin/console/assets/${file}`);
        const text = await asset.text();
        expect(
          asset.status === 200 && text.length > 500,
          `${file}: ${asset.status}, ${text.length} B`,
        );
      }
    },
  );

  await check(
    `the admin API's refusals on ${platform}: 400, 413 (chunked too), 415, then 429`,
    async () => {
      const url = `${base}/sfs/admin/tenants/acme/tokens`;
      const json = { 'content-type': 'application/json' };
      const post = (body: string, headers: Record<string, string>) =>
        fetch(url, {
          method: 'POST',
          headers: { ...headers, authorization: `Bearer ${adminKey}` },
          body,
        });
      const shaped = async (response: Response, status: number, code: string) => {
        const body = (await response.json()) as { statusCode?: number; code?: string };
        expect(response.status === status, `expected ${status}, got ${response.status}`);
        expect(body.statusCode === status && body.code === code, `body ${JSON.stringify(body)}`);
        expect(response.headers.get('cache-control') === 'no-store', 'no Cache-Control: no-store');
      };
      await shaped(await post(JSON.stringify({ clientKey: 42 }), json), 400, 'INVALID_INPUT');
      await shaped(
        await post(JSON.stringify({ x: 'y'.repeat(6000) }), json),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      const chunked = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 90; i++)
            controller.enqueue(new TextEncoder().encode(' '.repeat(1000)));
          controller.close();
        },
      });
      const streamed = await fetch(url, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${adminKey}` },
        body: chunked,
        duplex: 'half',
      } as RequestInit);
      await shaped(streamed, 413, 'PAYLOAD_TOO_LARGE');
      await shaped(
        await post('{}', { ...json, 'content-encoding': 'gzip' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) {
        const guess = await fetch(url, {
          headers: { authorization: `Bearer wrong-${i}-xxxxxxxxxxxx` },
        });
        statuses.push(guess.status);
        await guess.arrayBuffer();
      }
      const counts = statuses.filter((s) => s === 401).length;
      // The limit is 20 failures a minute; the check above made one (its request without a key).
      expect(counts === 19, `expected 19 × 401 before 429, got ${counts}: ${statuses.join(',')}`);
      expect(statuses[24] === 429, `the 25th guess got ${statuses[24]}`);
    },
  );

  await check('nestjs-sfs-auth/browser loads from the tarball (ESM, no dependencies)', async () => {
    const helper = (await import('nestjs-sfs-auth/browser')) as { createSfsTokenSource?: unknown };
    expect(typeof helper.createSfsTokenSource === 'function', 'no createSfsTokenSource export');
  });

  await check('app.close() revokes the platform token', async () => {
    const before = sandbox.calls({ kind: 'platform.revoke' }).length;
    await app?.close();
    expect(sandbox.calls({ kind: 'platform.revoke' }).length === before + 1, 'no platform revoke');
  });
  await sandbox.close();
}

main()
  .catch((error: unknown) => {
    failures += 1;
    console.log(`not ok - the host ran to the end # ${String(error)}`);
  })
  .finally(() => {
    process.exitCode = failures > 0 ? 1 : 0;
  });
