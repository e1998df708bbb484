import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { transpileModule, ModuleKind, ScriptTarget } from 'typescript';

const run = promisify(execFile);
export const ROOT = resolve(__dirname, '..', '..');

/** The release the upgrade starts from (test/upgrade/baseline.json). */
export interface Baseline {
  readonly version: string;
  readonly commit: string;
  readonly tag: string;
}

export function readBaseline(): Baseline {
  return JSON.parse(readFileSync(join(__dirname, 'baseline.json'), 'utf8')) as Baseline;
}

export async function sh(
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  const { stdout } = await run(command, args, {
    cwd,
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
  return stdout;
}

async function packInto(source: string, packDir: string): Promise<string> {
  mkdirSync(packDir, { recursive: true });
  const stdout = await sh(source, 'npm', ['pack', '--json', '--pack-destination', packDir]);
  const [info] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
  return join(packDir, info.filename);
}

/**
 * The baseline release, checked out of git history into `dir` (`git archive`, so the work tree is
 * untouched), installed from its own lockfile, built and packed. Needs the commit in the clone's
 * history.
 */
export async function packBaseline(baseline: Baseline, dir: string): Promise<string> {
  const source = join(dir, 'source');
  mkdirSync(source, { recursive: true });
  try {
    await sh(ROOT, 'git', ['cat-file', '-e', `${baseline.commit}^{commit}`]);
  } catch {
    throw new Error(
      `commit ${baseline.commit} (${baseline.version}) is not in this clone's history; fetch it or clone without --depth`,
    );
  }
  await sh(ROOT, 'bash', [
    '-c',
    `git archive ${baseline.commit} | tar -x -C ${JSON.stringify(source)}`,
  ]);
  await sh(source, 'npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
  await sh(source, 'npm', ['run', 'build']);
  return packInto(source, join(dir, 'pack'));
}

/** The current tree, packed (its `prepack` builds the library). */
export function packCurrent(dir: string): Promise<string> {
  return packInto(ROOT, join(dir, 'pack'));
}

/**
 * A fresh host folder for one release: `npm i <tarball>` with NestJS 11 and Express, and the
 * upgrade host (test/upgrade/host/main.ts) transpiled into `dist/main.js`.
 */
export async function installHost(dir: string, tarball: string): Promise<void> {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'upgrade-host', version: '0.0.0', private: true }, null, 2),
  );
  const peers = [
    '@nestjs/common@^11',
    '@nestjs/core@^11',
    '@nestjs/platform-express@^11',
    '@nestjs/schedule@^6',
    '@nestjs/event-emitter@^3',
    '@nestjs/typeorm@^11',
    'typeorm@^1',
    'pg@^8',
    'rxjs@^7.8',
    'reflect-metadata@^0.2',
    'class-validator@^0.15',
    'class-transformer@^0.5',
  ];
  await sh(dir, 'npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    tarball,
    ...peers,
  ]);
  const source = readFileSync(join(__dirname, 'host', 'main.ts'), 'utf8');
  const { outputText } = transpileModule(source, {
    compilerOptions: {
      module: ModuleKind.CommonJS,
      target: ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  writeFileSync(join(dir, 'dist', 'main.js'), outputText);
}
