/**
 * The public API as stated: the names each package entry exports (`package.json` `exports`, read
 * with the TypeScript compiler), their `@publicApi` and `@group` tags where they are declared, the
 * module's exported providers, and the tables of docs/public-api.md, all agree.
 */
import { join } from 'node:path';
import * as ts from 'typescript';
import { packageEntries } from '../support/doc-typecheck';
import { codeSpans, proseLines, readPage, ROOT } from '../support/markdown';

jest.setTimeout(120_000);

/** The main entry stays small: what a host uses, nothing more (it exported 90 names before). */
const MAIN_ENTRY_LIMIT = 60;
const MAIN_ENTRY = 'nestjs-sfs-auth';

/**
 * The modules whose `exports: [...]` lists are what a host may inject: `SfsAuthModule` exports
 * these three and no other (`composeSfsAuth` in src/sfs-auth/sfs-auth.module.ts).
 */
const MODULE_FILES = [
  'src/sfs-auth/clock/clock.module.ts',
  'src/sfs-auth/host-api/host-api.module.ts',
  'src/sfs-auth/health/health.module.ts',
];

interface PublicName {
  readonly name: string;
  readonly entry: string;
  readonly declarations: readonly ts.Declaration[];
}

function createProgram(entries: readonly string[]): ts.Program {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  // The browser entry needs the DOM's types; the others do not mind them.
  const options = { ...parsed.options, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], noEmit: true };
  const files = [...entries, ...MODULE_FILES].map((file) => join(ROOT, file));
  return ts.createProgram(files, options);
}

/** Every name an entry exports, with the declarations it resolves to. */
function exportedNames(program: ts.Program, entries: Record<string, string>): PublicName[] {
  const checker = program.getTypeChecker();
  return Object.entries(entries).flatMap(([entry, source]) => {
    const file = program.getSourceFile(join(ROOT, source));
    const module = file && checker.getSymbolAtLocation(file);
    if (!module) throw new Error(`${source} is not a module`);
    return checker.getExportsOfModule(module).map((exported) => {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      return { name: exported.name, entry, declarations: symbol.declarations ?? [] };
    });
  });
}

/** The tags of a declaration's doc comment (a variable's live on its statement). */
function tagsOf(declaration: ts.Declaration): Map<string, string> {
  const tags = new Map<string, string>();
  for (const tag of ts.getJSDocTags(declaration)) {
    const text = ts.getTextOfJSDocComment(tag.comment) ?? '';
    tags.set(tag.tagName.text, text.trim());
  }
  return tags;
}

function where(declaration: ts.Declaration): string {
  const file = declaration.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(declaration.getStart());
  return `${file.fileName.slice(ROOT.length + 1)}:${line + 1}`;
}

/** The identifiers listed in every `exports: [...]` of a file (spreads of other lists left out). */
function exportsLists(program: ts.Program, file: string): string[] {
  const source = program.getSourceFile(join(ROOT, file));
  if (!source) throw new Error(`${file} is not in the program`);
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAssignment(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'exports' &&
      ts.isArrayLiteralExpression(node.initializer)
    ) {
      for (const element of node.initializer.elements) {
        if (ts.isIdentifier(element)) names.push(element.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

function isInjectable(declaration: ts.Declaration): boolean {
  return (
    ts.isClassDeclaration(declaration) &&
    (ts.getDecorators(declaration) ?? []).some(
      (decorator) =>
        ts.isCallExpression(decorator.expression) &&
        ts.isIdentifier(decorator.expression.expression) &&
        decorator.expression.expression.text === 'Injectable',
    )
  );
}

/** docs/public-api.md: per `## \`entry\`` section, each table row's group and its names. */
function documentedNames(): Map<string, Map<string, string>> {
  const byEntry = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const { text } of proseLines(readPage('docs/public-api.md'))) {
    const heading = /^## `([^`]+)`/.exec(text);
    if (heading) {
      current = new Map();
      byEntry.set(heading[1], current);
      continue;
    }
    if (text.startsWith('## ')) current = undefined;
    const row = /^\|\s*([^|`]+?)\s*\|(.*)\|\s*$/.exec(text);
    if (!current || !row || /^-+$/.test(row[1]) || row[1] === 'group') continue;
    for (const name of codeSpans(row[2])) current.set(name, row[1]);
  }
  return byEntry;
}

describe('the public API (package entries, tags, module exports, docs/public-api.md)', () => {
  const entries = packageEntries();
  const program = createProgram(Object.values(entries));
  const names = exportedNames(program, entries);
  const main = names.filter((name) => name.entry === MAIN_ENTRY);

  it(`keeps ${MAIN_ENTRY} under ${MAIN_ENTRY_LIMIT} names`, () => {
    const counts = Object.keys(entries).map(
      (entry) => `${entry} ${names.filter((name) => name.entry === entry).length}`,
    );
    console.log(`public names: ${counts.join(', ')} (${names.length} in all)`);
    expect(Object.keys(entries)).toEqual(
      expect.arrayContaining([MAIN_ENTRY, `${MAIN_ENTRY}/testing`, `${MAIN_ENTRY}/browser`]),
    );
    expect(main.length).toBeGreaterThan(0);
    expect(main.length).toBeLessThan(MAIN_ENTRY_LIMIT);
  });

  it('marks every exported declaration @publicApi with a @group', () => {
    const unmarked = names.flatMap(({ name, entry, declarations }) =>
      declarations
        .filter((declaration) => {
          const tags = tagsOf(declaration);
          return !tags.has('publicApi') || !tags.get('group');
        })
        .map((declaration) => `${entry}: ${name} (${where(declaration)})`),
    );
    expect(unmarked).toEqual([]);
    expect(names.every(({ declarations }) => declarations.length > 0)).toBe(true);
  });

  it("exports every provider the module exports, and injects nothing it doesn't provide", () => {
    // SfsAuthModule re-exports exactly the modules of MODULE_FILES.
    expect(exportsLists(program, 'src/sfs-auth/sfs-auth.module.ts')).toEqual([
      'SfsClockModule',
      'hostApi',
      'health',
    ]);
    const provided = MODULE_FILES.flatMap((file) => exportsLists(program, file));
    expect(provided).toEqual(expect.arrayContaining(['SfsTokenService', 'SfsApiClient']));
    const mainNames = main.map(({ name }) => name);
    expect(provided.filter((name) => !mainNames.includes(name))).toEqual([]);
    const injectables = main
      .filter(({ declarations }) => declarations.some(isInjectable))
      .map(({ name }) => name);
    expect(injectables.filter((name) => !provided.includes(name))).toEqual([]);
  });

  it('marks every injectable class of src/sfs-auth that is not public @internal', () => {
    const publicDeclarations = new Set(names.flatMap(({ declarations }) => declarations));
    const unmarked = program
      .getSourceFiles()
      .filter((file) => file.fileName.startsWith(join(ROOT, 'src', 'sfs-auth') + '/'))
      .flatMap((file) => file.statements.filter(ts.isClassDeclaration))
      .filter((declaration) => isInjectable(declaration) && !publicDeclarations.has(declaration))
      .filter((declaration) => !tagsOf(declaration).has('internal'))
      .map((declaration) => `${declaration.name?.text} (${where(declaration)})`);
    expect(unmarked).toEqual([]);
  });

  it('lists in docs/public-api.md exactly the names of each entry, under their @group', () => {
    const documented = documentedNames();
    for (const entry of Object.keys(entries)) {
      const table = documented.get(entry) ?? new Map<string, string>();
      const exported = names.filter((name) => name.entry === entry);
      expect({ entry, names: [...table.keys()].sort() }).toEqual({
        entry,
        names: exported.map(({ name }) => name).sort(),
      });
      const misgrouped = exported
        .filter(
          ({ name, declarations }) => tagsOf(declarations[0]).get('group') !== table.get(name),
        )
        .map(({ name, declarations }) => `${name}: @group ${tagsOf(declarations[0]).get('group')}`);
      expect(misgrouped).toEqual([]);
    }
  });
});
