/**
 * Type-checks the TypeScript blocks of the documentation against the library's sources: each
 * block becomes a module in a temp dir, and the package's entries (`nestjs-sfs-auth`,
 * `nestjs-sfs-auth/testing`, ...) are mapped to the sources that build them, as `package.json`'s
 * `exports` says.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { codeBlocks, ROOT } from './markdown';

/** A block compiled as a file of its own; `file=<name>` in the info string names it. */
export interface CompiledBlock {
  readonly page: string;
  readonly line: number;
  readonly fileName: string;
  readonly body: string;
}

/** The TypeScript blocks of a page that are meant to compile, and those marked as fragments. */
export function typeScriptBlocks(
  page: string,
  markdown: string,
): { compiled: CompiledBlock[]; fragments: Array<{ page: string; line: number }> } {
  const compiled: CompiledBlock[] = [];
  const fragments: Array<{ page: string; line: number }> = [];
  for (const block of codeBlocks(markdown)) {
    if (block.lang !== 'ts' && block.lang !== 'typescript') continue;
    if (block.attributes.includes('fragment') || block.markedNotCompiled) {
      fragments.push({ page, line: block.line });
      continue;
    }
    const named = block.attributes.find((attribute) => attribute.startsWith('file='));
    compiled.push({
      page,
      line: block.line,
      fileName: named ? named.slice('file='.length) : `block-${block.line}.ts`,
      body: block.body,
    });
  }
  return { compiled, fragments };
}

/** Where the sources of a `types` entry of `exports` live (`./dist/src/x.d.ts` → `src/x.ts`). */
function sourceOf(types: string): string {
  const built = types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts');
  const [top, ...rest] = built.split('/');
  // `browser/` builds from `browser/src/` (its own tsconfig), the library from the root.
  const candidates = [built, [top, 'src', ...rest].join('/')];
  const found = candidates.find((candidate) => existsSync(join(ROOT, candidate)));
  if (!found)
    throw new Error(`no source for the package entry ${types} (tried ${candidates.join(', ')})`);
  return found;
}

/** The package's import specifiers with a `types` entry, each mapped to its source file. */
export function packageEntries(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { types?: string }>;
  };
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'string' || !target.types) continue;
    const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    entries[specifier] = sourceOf(target.types);
  }
  return entries;
}

/** Compiler options of a host app: strict, decorators, DOM and Node types, the entries mapped. */
function compilerOptions(dir: string): ts.CompilerOptions {
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2022', 'DOM'],
      types: ['node'],
      strict: true,
      noEmit: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      skipLibCheck: true,
    },
    dir,
  );
  if (errors.length > 0)
    throw new Error(ts.flattenDiagnosticMessageText(errors[0].messageText, '\n'));
  const paths = Object.fromEntries(
    Object.entries(packageEntries()).map(([specifier, source]) => [
      specifier,
      [join(ROOT, source)],
    ]),
  );
  return { ...options, paths, typeRoots: [join(ROOT, 'node_modules', '@types')] };
}

/**
 * Compiles the blocks of the given pages in one program and returns every diagnostic as
 * `page:line: message` (the line in the page), or `file:line: message` for a library source.
 */
export function typeCheckBlocks(
  pages: ReadonlyArray<{ page: string; markdown: string }>,
): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'sfs-auth-doc-blocks-'));
  try {
    // Packages resolve from the blocks' folder as they would from a host's.
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const origin = new Map<string, CompiledBlock>();
    for (const { page, markdown } of pages) {
      const folder = join(dir, page.replace(/[^\w.-]+/g, '_'));
      mkdirSync(folder, { recursive: true });
      for (const block of typeScriptBlocks(page, markdown).compiled) {
        const file = join(folder, block.fileName);
        if (origin.has(file))
          throw new Error(`${page}:${block.line}: two blocks named ${block.fileName}`);
        // Each block is a module of its own, even one without imports or exports.
        writeFileSync(file, `${block.body}\nexport {};\n`);
        origin.set(file, block);
      }
    }
    const program = ts.createProgram([...origin.keys()], compilerOptions(dir));
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (!diagnostic.file || diagnostic.start === undefined) return message;
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      const block = origin.get(diagnostic.file.fileName);
      // The block's first line is the one after its opening fence.
      if (block) return `${block.page}:${block.line + 1 + line}: ${message}`;
      return `${relative(ROOT, diagnostic.file.fileName)}:${line + 1}: ${message}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
