// @ts-check
/**
 * The API reference (`npm run docs:api`): the package's public entries, built into `docs/api/`
 * (git-ignored). Every exported symbol needs a doc comment and every type it names must be public
 * too; any warning fails the build. `@group` tags group the pages; `@publicApi` is declared in
 * `tsdoc.json`.
 */
/** @type {Partial<import('typedoc').TypeDocOptions>} */
const config = {
  name: 'nestjs-sfs-auth',
  entryPoints: ['src/index.ts', 'src/sandbox/index.ts', 'browser/src/index.ts'],
  tsconfig: 'tsconfig.typedoc.json',
  out: 'docs/api',
  readme: 'none',
  excludeInternal: true,
  excludePrivate: true,
  excludeProtected: true,
  categorizeByGroup: true,
  treatWarningsAsErrors: true,
  // No public repository URL to link sources to (package.json names none): without this, TypeDoc
  // warns about the clone's remote, and the warning fails the build.
  disableSources: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  // The interface of what the sandbox's control API drives; `SfsSandbox` implements it.
  intentionallyNotExported: ['src/sandbox/sandbox-control.api.ts:SandboxControlTarget'],
};

export default config;
