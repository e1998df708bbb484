/**
 * Host-compatibility test (`npm run test:hosts`, run by .ci/run): packs the library, generates
 * fresh NestJS 12 (Express and Fastify) and NestJS 11 host apps in a temp dir, installs the tarball with the README's
 * install line, compiles each with strict TypeScript (`nodenext`, `skipLibCheck: false`) and runs
 * it with plain `node` (test/hosts/app/src/main.ts) against PostgreSQL and the SFS sandbox.
 *
 * The NestJS 12 host gets the latest of every package the README names; the NestJS 11 host gets
 * the lower bound of every peer range the tarball declares, so the ranges stay honest.
 * Then the examples of `examples/` (test/hosts/examples.ts), built and run on the same tarball.
 * Prints one line per check and, last, `hosts: N passed, M failed`; writes the results as JSON to
 * `HOSTS_RESULTS` (default `.hosts-results.json`).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '../../src/dev/embedded-postgres';
import { SfsSandbox } from '../../src/sandbox';
import { createTestDatabase } from '../support/test-database';
import { EXAMPLES, testExample } from './examples';
import { hostSpecs, type HostSpec } from './host-specs';
import { checkTarball, readPackedManifest, type PackedManifest } from './tarball-checks';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

const results: CheckResult[] = [];

/** Packages whose installed versions each host reports. */
const HOST_PACKAGES = [
  '@nestjs/core',
  '@nestjs/schedule',
  '@nestjs/event-emitter',
  '@nestjs/typeorm',
  'typeorm',
  'pg',
  'class-validator',
  'reflect-metadata',
];

function record(name: string, ok: boolean, detail?: string): void {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? ` # ${detail}` : ''}`);
}

async function sh(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(command, args, {
    cwd,
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
}

function failureText(error: unknown): string {
  const { stdout, stderr, message } = error as {
    stdout?: string;
    stderr?: string;
    message?: string;
  };
  const text = `${stderr ?? ''}\n${stdout ?? ''}`.trim() || message || String(error);
  return text.split('\n').slice(-12).join(' | ');
}

async function step(name: string, body: () => Promise<string | void>): Promise<boolean> {
  const started = Date.now();
  try {
    const detail = await body();
    record(name, true, [detail, `${Date.now() - started} ms`].filter(Boolean).join(', '));
    return true;
  } catch (error) {
    record(name, false, failureText(error));
    return false;
  }
}

/** Every installed copy of `@nestjs/*` and `typeorm`, by name. */
function frameworkCopies(
  nodeModules: string,
  found = new Map<string, number>(),
): Map<string, number> {
  let entries: string[];
  try {
    entries = readdirSync(nodeModules);
  } catch {
    return found;
  }
  const visit = (name: string, dir: string) => {
    if (name.startsWith('@nestjs/') || name === 'typeorm')
      found.set(name, (found.get(name) ?? 0) + 1);
    frameworkCopies(join(dir, 'node_modules'), found);
  };
  for (const entry of entries) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const scoped of readdirSync(join(nodeModules, entry))) {
        visit(`${entry}/${scoped}`, join(nodeModules, entry, scoped));
      }
    } else {
      visit(entry, join(nodeModules, entry));
    }
  }
  return found;
}

async function testHost(spec: HostSpec, tarball: string, manifest: PackedManifest): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `sfs-auth-host-${spec.name}-`));
  const tag = `[${spec.name}]`;
  try {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: `host-${spec.name}`, version: '0.0.0', private: true }, null, 2),
    );
    cpSync(join(__dirname, 'app'), dir, { recursive: true });
    const npm = ['install', '--no-audit', '--no-fund', '--loglevel=error'];
    const fresh = await step(`${tag} a fresh host: ${spec.base.join(' ')}`, async () => {
      await sh(dir, 'npm', [...npm, ...spec.base]);
      await sh(dir, 'npm', [...npm, '--save-dev', ...spec.baseDev]);
    });
    if (!fresh) return;
    const installLine = spec.install.map((p) => (p === 'nestjs-sfs-auth' ? tarball : p));
    const installed = await step(`${tag} npm i ${spec.install.join(' ')}`, async () => {
      await sh(dir, 'npm', [...npm, ...installLine]);
    });
    if (!installed) return;
    await step(`${tag} exactly one copy of each @nestjs/* package and of typeorm`, async () => {
      const copies = frameworkCopies(join(dir, 'node_modules'));
      const twice = [...copies].filter(([, n]) => n > 1).map(([name, n]) => `${name} ×${n}`);
      if (twice.length > 0) throw new Error(`nested copies: ${twice.join(', ')}`);
      if (!copies.has('@nestjs/core') || !copies.has('typeorm')) throw new Error('nothing found');
      return [...copies.keys()].sort().join(' ');
    });
    const optional = Object.keys(manifest.peerDependenciesMeta ?? {});
    await step(`${tag} optional peers not installed: ${optional.join(', ')}`, async () => {
      const present = optional.filter((name) => existsSync(join(dir, 'node_modules', name)));
      if (present.length > 0) throw new Error(`npm installed ${present.join(', ')}: not optional`);
      return 'the checks below run without them';
    });
    const compiled = await step(
      `${tag} tsc: strict, module nodenext, skipLibCheck false`,
      async () => {
        await sh(dir, 'npx', ['tsc', '-p', 'tsconfig.json']);
      },
    );
    await step(`${tag} tsc: moduleResolution node resolves nestjs-sfs-auth/testing`, async () => {
      await sh(dir, 'npx', ['tsc', '-p', 'tsconfig.node10.json']);
    });
    const versions = HOST_PACKAGES.map((name) => {
      const manifest = JSON.parse(
        readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8'),
      );
      return `${name}@${(manifest as { version: string }).version}`;
    });
    console.log(`${tag} installed: ${versions.join(' ')}`);
    if (compiled) {
      const { stdout } = await sh(dir, 'node', [
        '-p',
        "Object.keys(require('nestjs-sfs-auth')).length",
      ]);
      console.log(`${tag} nestjs-sfs-auth has ${stdout.trim()} runtime exports`);
    }
    if (!compiled) return;
    const database = await createTestDatabase(`host_${spec.name}`);
    const env = {
      HOST_PLATFORM: spec.platform,
      DATABASE_URL: database.url,
      SFS_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    };
    try {
      await runHostApp(dir, tag, env);
      await doctor(dir, tag, env);
    } finally {
      await database.drop();
    }
    if (spec.name === 'nest12') await withOpenTelemetry(dir, tag, npm, env);
  } finally {
    if (!process.env.HOSTS_KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log(`${tag} kept in ${dir}`);
  }
}

/** Runs the host app (`node [preload] dist/main.js`) and records each of its `ok - ` lines. */
async function runHostApp(
  dir: string,
  tag: string,
  env: NodeJS.ProcessEnv,
  preload: string[] = [],
): Promise<void> {
  const started = Date.now();
  let output: string;
  try {
    output = (await sh(dir, 'node', [...preload, 'dist/main.js'], env)).stdout;
  } catch (error) {
    output = (error as { stdout?: string }).stdout ?? '';
    if (!/^(not )?ok - /m.test(output))
      record(`${tag} node ${[...preload, 'dist/main.js'].join(' ')}`, false, failureText(error));
  }
  for (const line of output.split('\n')) {
    const match = /^(not ok|ok) - (.*?)(?: # (.*))?$/.exec(line);
    if (match) record(`${tag} ${match[2]}`, match[1] === 'ok', match[3]);
  }
  console.log(`${tag} the host ran in ${Date.now() - started} ms`);
}

/**
 * The same host again with `@opentelemetry/api` and the SDK installed and set up by a preload
 * (`app/otel-setup.cjs`, the SDK's own setup only): the module's spans and metrics must arrive.
 * The SDK 2.x wants the API below 1.10.
 */
async function withOpenTelemetry(
  dir: string,
  tag: string,
  npm: string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const sdk = [
    '@opentelemetry/api@~1.9.0',
    '@opentelemetry/context-async-hooks@^2',
    '@opentelemetry/sdk-trace-base@^2',
    '@opentelemetry/sdk-metrics@^2',
  ];
  const installed = await step(`${tag} npm i ${sdk.join(' ')}`, async () => {
    await sh(dir, 'npm', [...npm, ...sdk]);
  });
  if (!installed) return;
  const database = await createTestDatabase(`host_${tag.slice(1, -1)}_otel`);
  try {
    await runHostApp(dir, `${tag} [otel]`, { ...env, DATABASE_URL: database.url }, [
      '-r',
      './otel-setup.cjs',
    ]);
  } finally {
    await database.drop();
  }
}

/** `npx nestjs-sfs-auth doctor` from the installed tarball, on the database the host just used. */
async function doctor(dir: string, tag: string, env: NodeJS.ProcessEnv): Promise<void> {
  const sandbox = await SfsSandbox.start();
  try {
    await step(
      `${tag} npx nestjs-sfs-auth doctor --client-key host-doctor --json: every step ok`,
      async () => {
        const args = ['nestjs-sfs-auth', 'doctor', '--client-key', 'host-doctor', '--json'];
        const { stdout } = await sh(dir, 'npx', args, { ...env, ...sandbox.env() });
        const report = JSON.parse(stdout) as {
          ok: boolean;
          steps: { name: string; status: string }[];
        };
        const notOk = report.steps.filter((s) => s.status !== 'ok');
        if (!report.ok || notOk.length > 0) {
          throw new Error(`steps not ok: ${notOk.map((s) => `${s.name}=${s.status}`).join(', ')}`);
        }
        const live = sandbox
          .calls({ reveal: true })
          .filter((c) => c.issuedToken && sandbox.tokenInfo(c.issuedToken)?.active);
        if (live.length > 0) throw new Error(`${live.length} token(s) left live at SFS`);
        return `${report.steps.length} steps ok`;
      },
    );
  } finally {
    await sandbox.close();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  let pg: EmbeddedPostgresHandle | undefined;
  if (!process.env.DATABASE_URL) {
    pg = await startEmbeddedPostgres({
      dataDir: mkdtempSync(join(tmpdir(), 'sfs-auth-hosts-pg-')),
      persistent: false,
    });
    process.env.DATABASE_URL = pg.url;
  }
  const packDir = mkdtempSync(join(tmpdir(), 'sfs-auth-pack-'));
  try {
    let tarball = '';
    const packed = await step('npm pack builds the library into a tarball', async () => {
      const { stdout } = await sh(ROOT, 'npm', ['pack', '--json', '--pack-destination', packDir]);
      const [info] = JSON.parse(stdout.slice(stdout.indexOf('['))) as {
        filename: string;
        size: number;
        entryCount: number;
      }[];
      tarball = join(packDir, info.filename);
      return `${info.entryCount} files, ${info.size} bytes`;
    });
    if (packed) {
      for (const [name, verdict] of checkTarball(tarball))
        record(`tarball: ${name}`, !verdict, verdict);
      const manifest = readPackedManifest(tarball);
      const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
      for (const spec of hostSpecs(readme, manifest)) {
        await testHost(spec, tarball, manifest);
      }
      for (const example of EXAMPLES) await testExample(example, tarball, step);
    }
  } finally {
    rmSync(packDir, { recursive: true, force: true });
    await pg?.stop();
  }
  const failed = results.filter((r) => !r.ok).length;
  const passed = results.length - failed;
  writeFileSync(
    process.env.HOSTS_RESULTS ?? join(ROOT, '.hosts-results.json'),
    JSON.stringify({ passed, failed, results }, null, 2),
  );
  console.log(`host tests took ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`hosts: ${passed} passed, ${failed} failed`);
  // Explicit: embedded-postgres' exit hooks would otherwise end the process with 0.
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  console.log('hosts: 0 passed, 1 failed');
  process.exit(1);
});
