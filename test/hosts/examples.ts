/**
 * The examples of `examples/` as a user gets them, run by test/hosts/main.ts on its packed tarball:
 * each is copied next to the tarball (its package.json depends on `file:../nestjs-sfs-auth.tgz`),
 * installed from its own package.json, compiled with its own tsconfig and started with its own
 * `npm start` command against PostgreSQL and the SFS sandbox. Its one route must answer a token
 * SFS accepts, minted once, and SIGTERM must drain it (the platform token revoked).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SfsSandbox } from '../../src/sandbox';
import { createTestDatabase } from '../support/test-database';

const run = promisify(execFile);
const EXAMPLES_DIR = resolve(__dirname, '../../examples');

/** The examples CI builds, each a folder of `examples/`. */
export const EXAMPLES = ['express-host', 'fastify-host'] as const;

/** test/hosts/main.ts's `step`: runs `body`, records one result (its detail on success). */
export type Step = (name: string, body: () => Promise<string | void>) => Promise<boolean>;

function npm(dir: string, args: string[]) {
  return run('npm', args, { cwd: dir, maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60_000 });
}

/** Resolves with the first match of `pattern` in the process's stdout; rejects if it exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(`no ${pattern} within ${ms} ms`), ms);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${why}; output: ${output.split('\n').slice(-8).join(' | ')}`));
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before listening`));
  });
}

function exited(child: ChildProcess, ms: number): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(String(child.signalCode ?? child.exitCode));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running ${ms} ms after SIGTERM`)), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(String(signal ?? code));
    });
  });
}

export async function testExample(
  name: (typeof EXAMPLES)[number],
  tarball: string,
  step: Step,
): Promise<void> {
  const tag = `[example ${name}]`;
  const work = mkdtempSync(join(tmpdir(), `sfs-auth-example-${name}-`));
  const dir = join(work, name);
  try {
    cpSync(join(EXAMPLES_DIR, name), dir, {
      recursive: true,
      filter: (path) => !['node_modules', 'dist', 'package-lock.json'].includes(basename(path)),
    });
    copyFileSync(tarball, join(work, 'nestjs-sfs-auth.tgz'));
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const installed = await step(
      `${tag} npm install (its package.json, the packed tarball)`,
      async () => {
        await npm(dir, ['install', '--no-audit', '--no-fund', '--loglevel=error']);
        const lib = JSON.parse(
          readFileSync(join(dir, 'node_modules/nestjs-sfs-auth/package.json'), 'utf8'),
        ) as { version: string };
        const core = JSON.parse(
          readFileSync(join(dir, 'node_modules/@nestjs/core/package.json'), 'utf8'),
        ) as { version: string };
        return `nestjs-sfs-auth@${lib.version} (${manifest.dependencies['nestjs-sfs-auth']}), @nestjs/core@${core.version}`;
      },
    );
    if (!installed) return;
    const built = await step(`${tag} npm run build (its tsconfig)`, async () => {
      await npm(dir, ['run', 'build']);
    });
    if (!built) return;

    await runExample(dir, tag, step);
  } finally {
    if (!process.env.HOSTS_KEEP) rmSync(work, { recursive: true, force: true });
    else console.log(`${tag} kept in ${work}`);
  }
}

/** Starts the built example on a database of its own and a sandbox, and checks what it serves. */
async function runExample(dir: string, tag: string, step: Step): Promise<void> {
  const sandbox = await SfsSandbox.start();
  let app: ChildProcess | undefined;
  try {
    const database = await createTestDatabase(`example_${basename(dir)}`);
    try {
      const child = spawn('node', ['dist/main.js'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ...sandbox.env(),
          DATABASE_URL: database.url,
          PORT: '0',
          SFS_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
          SFS_ADMIN_KEYS: `acme=${randomBytes(24).toString('base64url')}`,
        },
      });
      app = child;
      let port = '';
      const booted = await step(`${tag} boots on PostgreSQL and the SFS sandbox`, async () => {
        const [, url, found] = await waitForLine(child, /listening on (\S+:(\d+))\s/, 60_000);
        port = found;
        return url;
      });
      if (!booted) return;

      await step(`${tag} its route answers a Bearer token SFS accepts, minted once`, async () => {
        const url = `http://127.0.0.1:${port}/tenants/acme/clients/client-1/authorization?userId=alice`;
        const answers: string[] = [];
        for (let i = 0; i < 2; i++) {
          const response = await fetch(url);
          const body = (await response.json()) as { authorization?: string };
          if (response.status !== 200)
            throw new Error(`${response.status} ${JSON.stringify(body)}`);
          answers.push(body.authorization ?? '');
        }
        const token = /^Bearer (\S+)$/.exec(answers[0])?.[1];
        if (!token) throw new Error(`no Bearer token: ${JSON.stringify(answers[0].slice(0, 20))}`);
        const info = sandbox.tokenInfo(token);
        if (!info?.active || info.kind !== 'client' || info.clientKey !== 'client-1')
          throw new Error(`SFS does not hold it as client-1's live token: ${JSON.stringify(info)}`);
        if (answers[1] !== answers[0]) throw new Error('the second call answered another token');
        const mints = sandbox.calls({ kind: 'client.create' }).length;
        if (mints !== 1) throw new Error(`${mints} client tokens minted at SFS, expected 1`);
        return `GET ${new URL(url).pathname} twice`;
      });

      await step(`${tag} SIGTERM drains it and revokes the platform token`, async () => {
        child.kill('SIGTERM');
        const how = await exited(child, 20_000);
        if (how !== 'SIGTERM' && how !== '0') throw new Error(`ended with ${how}`);
        const revokes = sandbox.calls({ kind: 'platform.revoke' }).length;
        if (revokes !== 1) throw new Error(`${revokes} platform token revocations at SFS`);
        return `ended with ${how}`;
      });
    } finally {
      if (app && app.exitCode === null && app.signalCode === null) {
        app.kill('SIGKILL');
        await exited(app, 5_000).catch(() => undefined);
      }
      await database.drop();
    }
  } finally {
    await sandbox.close();
  }
}
