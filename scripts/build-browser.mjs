// Builds the package's browser code with esbuild:
// - the admin console (console/) into the files the module serves: console.js (one minified
//   bundle), console.css and index.html, written to src/sfs-auth/admin/console/assets/ (for
//   ts-node and Jest) and, when a build exists, dist/src/sfs-auth/admin/console/assets/;
// - the token helper `nestjs-sfs-auth/browser` (browser/) into dist/browser/index.js (ESM; its
//   types come from `tsc -p browser/tsconfig.json` in build:lib).
// `--report` prints the gzipped sizes. Run by `npm run build:browser`, the builds and Jest's
// global setup.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the token helper; returns its size. */
export async function buildHelper() {
  const bundle = await build({
    entryPoints: [join(root, 'browser/src/index.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    outfile: join(root, 'dist/browser/index.js'),
    legalComments: 'none',
    logLevel: 'silent',
    write: false,
  });
  const contents = bundle.outputFiles[0].contents;
  mkdirSync(join(root, 'dist/browser'), { recursive: true });
  writeFileSync(join(root, 'dist/browser/index.js'), contents);
  // ESM in a CommonJS package: the folder says so to Node and to TypeScript (nodenext).
  writeFileSync(join(root, 'dist/browser/package.json'), '{ "type": "module" }\n');
  return { 'browser/index.js': { bytes: contents.length, gzipped: gzipSync(contents, { level: 9 }).length } };
}

/** Builds the console; returns `{ file: { bytes, gzipped } }` of what the page loads. */
export async function buildConsole() {
  const bundle = await build({
    entryPoints: [join(root, 'console/src/main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const files = {
    'console.js': bundle.outputFiles[0].contents,
    'console.css': readFileSync(join(root, 'console/console.css')),
    'index.html': readFileSync(join(root, 'console/index.html')),
  };
  const targets = [join(root, 'src/sfs-auth/admin/console/assets')];
  if (existsSync(join(root, 'dist/src/sfs-auth'))) {
    targets.push(join(root, 'dist/src/sfs-auth/admin/console/assets'));
  }
  for (const target of targets) {
    mkdirSync(target, { recursive: true });
    for (const [name, contents] of Object.entries(files)) writeFileSync(join(target, name), contents);
  }
  return Object.fromEntries(
    Object.entries(files).map(([name, contents]) => [
      name,
      { bytes: contents.length, gzipped: gzipSync(contents, { level: 9 }).length },
    ]),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = await buildConsole();
  const helper = await buildHelper();
  if (process.argv.includes('--report')) {
    const total = Object.values(sizes).reduce((sum, size) => sum + size.gzipped, 0);
    for (const [name, size] of Object.entries({ ...sizes, ...helper })) {
      console.log(`${name.padEnd(16)} ${String(size.bytes).padStart(7)} B, ${size.gzipped} B gzipped`);
    }
    console.log(`the console page loads ${total} B gzipped`);
  }
}
