import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = resolve(__dirname, '../../scripts/release-check.mjs');

jest.setTimeout(120_000);

type Files = Record<string, string>;

/** A small package shaped like this one: a CommonJS entry, an ESM-only ./browser, a bin. */
function goodPackage(): Files {
  const manifest = {
    name: 'nestjs-sfs-auth',
    version: '0.1.0',
    license: 'MIT',
    type: 'commonjs',
    main: 'dist/src/index.js',
    types: 'dist/src/index.d.ts',
    exports: {
      '.': {
        types: './dist/src/index.d.ts',
        require: './dist/src/index.js',
        default: './dist/src/index.js',
      },
      './browser': { types: './dist/browser/index.d.ts', default: './dist/browser/index.js' },
      './package.json': './package.json',
    },
    typesVersions: { '*': { browser: ['dist/browser/index.d.ts'] } },
    bin: { 'nestjs-sfs-auth': 'dist/src/cli.js' },
  };
  return {
    'package.json': JSON.stringify(manifest, null, 2),
    'README.md': '# nestjs-sfs-auth\n',
    'dist/src/index.js':
      '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.answer = 42;\n',
    'dist/src/index.d.ts': 'export declare const answer = 42;\n',
    'dist/src/cli.js':
      '#!/usr/bin/env node\n"use strict";\nconsole.log(require("./index").answer);\n',
    'dist/browser/index.js': 'export const helper = () => 1;\n',
    'dist/browser/index.d.ts': 'export declare const helper: () => number;\n',
    'dist/browser/package.json': '{ "type": "module" }\n',
  };
}

function withManifest(files: Files, change: (manifest: Record<string, unknown>) => void): Files {
  const manifest = JSON.parse(files['package.json']) as Record<string, unknown>;
  change(manifest);
  return { ...files, 'package.json': JSON.stringify(manifest, null, 2) };
}

interface Verdict {
  readonly code: number;
  readonly lines: string[];
}

let work: string;

/** Packs `files` as npm does (under `package/`) and runs the release check on the tarball. */
async function releaseCheck(name: string, files: Files): Promise<Verdict> {
  const root = join(work, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'package', path)), { recursive: true });
    writeFileSync(join(root, 'package', path), text);
  }
  const tarball = join(root, `${name}.tgz`);
  await run('tar', ['czf', tarball, '-C', root, 'package']);
  try {
    const { stdout } = await run('node', [SCRIPT, '--tarball', tarball]);
    return { code: 0, lines: stdout.split('\n') };
  } catch (error) {
    const { code, stdout } = error as { code: number; stdout: string };
    return { code, lines: stdout.split('\n') };
  }
}

const failures = (verdict: Verdict) => verdict.lines.filter((line) => line.startsWith('FAIL - '));

describe('npm run release:check (scripts/release-check.mjs --tarball)', () => {
  const verdicts: Record<string, Verdict> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sfs-auth-release-check-spec-'));
    const good = goodPackage();
    const cases: Record<string, Files> = {
      good,
      missingTarget: withManifest(good, (m) => {
        (m.exports as Record<string, Record<string, string>>)['./browser'].types =
          './dist/browser/gone.d.ts';
      }),
      strayFiles: {
        ...good,
        'dist/src/index.spec.js': '',
        'dist/src/index.ts': 'export const answer = 42;\n',
        'bench/run.js': '',
        '.env': 'SFS_SECRET=x\n',
        '.data/pg/PG_VERSION': '18\n',
      },
      sourceMaps: {
        ...good,
        'dist/src/index.js': `${good['dist/src/index.js']}//# sourceMappingURL=index.js.map\n`,
        'dist/src/extra.js': '"use strict";\n//# sourceMappingURL=extra.js.map\n',
        'dist/src/extra.js.map': JSON.stringify({
          version: 3,
          sources: ['../../../src/extra.ts'],
          mappings: '',
        }),
      },
      unreleased: withManifest(good, (m) => (m.version = '99.0.0')),
      oversized: { ...good, 'dist/src/blob.js': `// ${randomBytes(400_000).toString('base64')}\n` },
      noShebang: { ...good, 'dist/src/cli.js': '"use strict";\n' },
      typesNotFirst: withManifest(good, (m) => {
        m.exports = {
          ...(m.exports as object),
          '.': {
            require: './dist/src/index.js',
            types: './dist/src/index.d.ts',
            default: './dist/src/index.js',
          },
        };
      }),
      falseEsm: withManifest(
        { ...good, 'dist/src/index.d.mts': 'export declare const answer = 42;\n' },
        (m) => {
          (m.exports as Record<string, Record<string, string>>)['.'].types =
            './dist/src/index.d.mts';
        },
      ),
    };
    const results = await Promise.all(
      Object.entries(cases).map(async ([name, files]) => [name, await releaseCheck(name, files)]),
    );
    for (const [name, verdict] of results) verdicts[name as string] = verdict as Verdict;
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('passes a well-formed package (ESM-only ./browser included) and prints both sizes', () => {
    const { code, lines } = verdicts.good;
    expect(failures(verdicts.good)).toEqual([]);
    expect(code).toBe(0);
    expect(lines).toContain('release-check: 9 passed, 0 failed');
    expect(lines.join('\n')).toMatch(
      /size: [\d.]+ kB packed \(budget [\d.]+ kB\), [\d.]+ kB unpacked/,
    );
  });

  it.each([
    [
      'missingTarget',
      /points to .*exports\["\.\/browser"\]\.types → \.\/dist\/browser\/gone\.d\.ts is missing/,
    ],
    ['missingTarget', /FAIL - attw on \.\/browser/],
    ['strayFiles', /dist\/src\/index\.spec\.js \(test code\)/],
    ['strayFiles', /dist\/src\/index\.ts \(source-only files\)/],
    ['strayFiles', /bench\/run\.js \(benchmark code\)/],
    ['strayFiles', /\.env \(an environment or secret file\)/],
    ['strayFiles', /\.data\/pg\/PG_VERSION \(a data file\)/],
    ['sourceMaps', /dist\/src\/index\.js: sourceMappingURL=index\.js\.map \(not in the tarball\)/],
    [
      'sourceMaps',
      /dist\/src\/extra\.js\.map: source \.\.\/\.\.\/\.\.\/src\/extra\.ts \(outside the package\)/,
    ],
    ['unreleased', /CHANGELOG\.md has no `## \[99\.0\.0\] - YYYY-MM-DD` section/],
    [
      'oversized',
      /FAIL - the tarball stays within its size budget: packed \d+ bytes > budget 360000/,
    ],
    ['noShebang', /FAIL - publint --strict/],
    ['typesNotFirst', /FAIL - publint --strict/],
    ['falseEsm', /FAIL - attw on every entry but \.\/browser/],
  ])('fails %s: %s', (name, expected) => {
    expect(verdicts[name].code).toBe(1);
    expect(failures(verdicts[name]).join('\n')).toMatch(expected);
  });

  it('fails a fault that publint and attw do not see on its own check only', () => {
    const failed = (name: string) => failures(verdicts[name]).map((line) => line.split(':')[0]);
    expect(failed('unreleased')).toEqual(['FAIL - CHANGELOG.md has a dated section for 99.0.0']);
    expect(failed('oversized')).toEqual(['FAIL - the tarball stays within its size budget']);
  });
});
