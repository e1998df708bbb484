import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageEntries, typeCheckBlocks, typeScriptBlocks } from '../support/doc-typecheck';
import { documentationPages, readPage, ROOT } from '../support/markdown';

jest.setTimeout(180_000);

/** A page with one deliberate type error, compiled with the real ones: the check must flag it. */
const PLANTED = {
  page: 'planted-error.md',
  markdown: [
    'A block that calls the library wrongly:',
    '',
    '```ts',
    "import { SfsTokenService } from 'nestjs-sfs-auth';",
    'export async function wrong(tokens: SfsTokenService): Promise<void> {',
    "  await tokens.getClientToken({ tenantId: 'acme' });",
    '}',
    '```',
  ].join('\n'),
};

describe('TypeScript blocks of README.md, CHANGELOG.md and docs/*.md', () => {
  const pages = documentationPages().map((page) => ({ page, markdown: readPage(page) }));

  it("maps the package's entries (package.json exports) to their sources", () => {
    const entries = packageEntries();
    expect(Object.keys(entries)).toEqual(
      expect.arrayContaining(['nestjs-sfs-auth', 'nestjs-sfs-auth/testing']),
    );
    expect(entries['nestjs-sfs-auth']).toBe('src/index.ts');
    expect(entries['nestjs-sfs-auth/testing']).toBe('src/sandbox/index.ts');
    for (const source of Object.values(entries)) expect(existsSync(join(ROOT, source))).toBe(true);
  });

  it('compiles every block not marked as a fragment, and finds a planted type error', () => {
    const compiled = pages.flatMap(
      ({ page, markdown }) => typeScriptBlocks(page, markdown).compiled,
    );
    expect(compiled.length).toBeGreaterThan(10);
    const diagnostics = typeCheckBlocks([...pages, PLANTED]);
    const planted = diagnostics.filter((line) => line.startsWith(`${PLANTED.page}:`));
    expect(planted).toEqual([expect.stringMatching(/^planted-error\.md:6: .*clientKey/s)]);
    expect(diagnostics.filter((line) => !planted.includes(line))).toEqual([]);
  });

  it('leaves only a few blocks uncompiled, each marked as a fragment', () => {
    const fragments = pages.flatMap(
      ({ page, markdown }) => typeScriptBlocks(page, markdown).fragments,
    );
    expect(fragments.length).toBeLessThanOrEqual(5);
  });
});
