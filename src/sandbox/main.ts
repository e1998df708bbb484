/**
 * `npm run sandbox`: runs the SFS sandbox standalone, for the demo app and for tests that run it as
 * a separate process. Environment: `SANDBOX_PORT` (default a free port), `SANDBOX_API_KEY` +
 * `SANDBOX_SECRET` (default a generated account), `SANDBOX_CA_FILE` (where the certificate PEM is
 * written; default a temp file, removed on exit). Prints one JSON line
 * `{"url","caFile","apiKey","secret","controlKey"}` on stdout, then serves until SIGINT/SIGTERM.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SfsSandbox } from './sfs-sandbox';
import type { SfsSandboxOptions } from './sfs-sandbox.types';

async function main(): Promise<void> {
  const env = process.env;
  const options: SfsSandboxOptions = {};
  if (env.SANDBOX_PORT) options.port = Number(env.SANDBOX_PORT);
  if (env.SANDBOX_API_KEY || env.SANDBOX_SECRET) {
    if (!env.SANDBOX_API_KEY || !env.SANDBOX_SECRET) {
      throw new Error('Set both SANDBOX_API_KEY and SANDBOX_SECRET, or neither');
    }
    options.accounts = [{ apiKey: env.SANDBOX_API_KEY, secret: env.SANDBOX_SECRET }];
  }
  const sandbox = await SfsSandbox.start(options);
  const tempDir = env.SANDBOX_CA_FILE ? undefined : mkdtempSync(join(tmpdir(), 'sfs-sandbox-ca-'));
  const caFile = env.SANDBOX_CA_FILE ?? join(tempDir as string, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.caPem);
  const { apiKey, secret } = sandbox.accounts[0];
  console.log(
    JSON.stringify({ url: sandbox.url, caFile, apiKey, secret, controlKey: sandbox.controlKey }),
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sandbox.close().finally(() => {
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('SFS sandbox failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
