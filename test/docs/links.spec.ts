import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import {
  anchors,
  codeSpans,
  documentationPages,
  githubSlug,
  isExternal,
  links,
  proseLines,
  readPage,
  ROOT,
} from '../support/markdown';

/** Folders whose paths the pages name in code spans (`test/...spec.ts`, `src/...`): they must exist. */
const REPOSITORY_PATH = /^(src|test|migrations|bench|scripts|console|browser|docs)\/[\w./-]*$/;
/** Build outputs the pages name, absent from a fresh clone. */
const BUILT_PATHS = new Set(['src/sfs-auth/admin/console/assets/', 'docs/api/']);

/** Every broken link of one page (its text read from disk unless given): `page:line target (why)`. */
function brokenLinks(page: string, markdown = readPage(page)): string[] {
  const problems: string[] = [];
  for (const { target, line } of links(markdown)) {
    if (!target || isExternal(target)) continue;
    const hash = target.indexOf('#');
    const path = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const resolved = path ? normalize(join(dirname(page), path)) : page;
    const where = `${page}:${line} ${target}`;
    if (relative(ROOT, join(ROOT, resolved)).startsWith('..')) {
      problems.push(`${where} (outside the repository)`);
      continue;
    }
    if (!existsSync(join(ROOT, resolved))) {
      problems.push(`${where} (no such file)`);
      continue;
    }
    if (anchor === undefined || !resolved.endsWith('.md')) continue;
    if (statSync(join(ROOT, resolved)).isDirectory()) continue;
    if (!anchors(resolved === page ? markdown : readPage(resolved)).has(anchor)) {
      problems.push(`${where} (no heading with anchor #${anchor} in ${resolved})`);
    }
  }
  return problems;
}

/** Repository paths named in code spans that do not exist. */
function missingPaths(page: string): string[] {
  const problems: string[] = [];
  for (const { text, line } of proseLines(readPage(page))) {
    for (const span of codeSpans(text)) {
      if (!REPOSITORY_PATH.test(span) || BUILT_PATHS.has(span)) continue;
      if (!existsSync(join(ROOT, span))) problems.push(`${page}:${line} \`${span}\``);
    }
  }
  return problems;
}

describe('documentation links (README.md, CHANGELOG.md, docs/*.md)', () => {
  const pages = documentationPages();

  it('finds the pages', () => {
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/troubleshooting.md']));
  });

  it.each(pages)('every relative link and anchor of %s resolves', (page) => {
    expect(brokenLinks(page)).toEqual([]);
  });

  it.each(pages)('every repository path %s names exists', (page) => {
    expect(missingPaths(page)).toEqual([]);
  });
});

describe('GitHub heading anchors', () => {
  it.each([
    ['Install', 'install'],
    [
      'Before going live: `npx nestjs-sfs-auth doctor`',
      'before-going-live-npx-nestjs-sfs-auth-doctor',
    ],
    ['The SFS sandbox (`nestjs-sfs-auth/testing`)', 'the-sfs-sandbox-nestjs-sfs-authtesting'],
    ['`SFS_TIMEOUT`', 'sfs_timeout'],
    ['Rotation is O(tenants)', 'rotation-is-otenants'],
    ['Login → mint', 'login--mint'],
    ["In a host's own tests", 'in-a-hosts-own-tests'],
    [
      'Walkthrough (with `npm start` running in another terminal)',
      'walkthrough-with-npm-start-running-in-another-terminal',
    ],
    ['[Unreleased]', 'unreleased'],
    ['[0.1.0] - 2026-11-28', '010---2026-11-28'],
    ['A **bold** [link](x.md) and `__proto__`', 'a-bold-link-and-__proto__'],
  ])('%s → #%s', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });

  it('numbers repeated headings as GitHub does, and ignores headings inside code blocks', () => {
    const page = ['# Notes', '## Notes', '```bash', '# Notes', '```', '### Notes'].join('\n');
    expect([...anchors(page)]).toEqual(['notes', 'notes-1', 'notes-2']);
  });

  it('reports broken links and missing anchors, and only those (the check is not blind)', () => {
    const page = [
      '# Install',
      '[ok](docs/wiring.md#events) [gone](docs/nowhere.md) [bad](docs/wiring.md#no-such-heading)',
      '`[in code](docs/nowhere.md)` [self](#install) [lost](#nothing) ![img](docs/console.png)',
      '[web](https://example.com/x.md#y) [pending](docs/cli.md)',
      '```md',
      '[in a block](docs/nowhere.md)',
      '```',
    ].join('\n');
    expect(brokenLinks('README.md', page)).toEqual([
      'README.md:2 docs/nowhere.md (no such file)',
      'README.md:2 docs/wiring.md#no-such-heading (no heading with anchor #no-such-heading in docs/wiring.md)',
      'README.md:3 #nothing (no heading with anchor #nothing in README.md)',
    ]);
  });
});
