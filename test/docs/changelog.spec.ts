import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { proseLines, readPage, ROOT } from '../support/markdown';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
};

/** The release headings of CHANGELOG.md (`## [x.y.z] - date` or `## [Unreleased]`), in order. */
function releases(changelog: string): string[] {
  return proseLines(changelog)
    .map(({ text }) => /^## \[([^\]]+)\]/.exec(text)?.[1])
    .filter((name): name is string => name !== undefined);
}

describe('CHANGELOG.md (Keep a Changelog)', () => {
  const changelog = readPage('CHANGELOG.md');

  it('opens with [Unreleased], before any release', () => {
    const [first] = proseLines(changelog)
      .map(({ text }) => text)
      .filter((text) => text.startsWith('## '));
    expect(first).toBe('## [Unreleased]');
    expect(releases(changelog).filter((name) => name === 'Unreleased')).toHaveLength(1);
  });

  it(`has a section for package.json's version (${version})`, () => {
    expect(releases(changelog)).toContain(version);
  });

  it('dates every release, newest first, and groups changes by the format’s kinds', () => {
    const dated = proseLines(changelog)
      .map(({ text }) => /^## \[(\d+\.\d+\.\d+[^\]]*)\] - (\d{4}-\d{2}-\d{2})$/.exec(text))
      .filter((match): match is RegExpExecArray => match !== null);
    expect(dated.map((match) => match[1])).toEqual(releases(changelog).slice(1));
    const dates = dated.map((match) => match[2]);
    expect(dates).toEqual([...dates].sort().reverse());
    const kinds = proseLines(changelog)
      .map(({ text }) => /^### (.*)$/.exec(text)?.[1])
      .filter((kind): kind is string => kind !== undefined);
    const allowed = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'];
    expect(kinds.filter((kind) => !allowed.includes(kind))).toEqual([]);
  });

  it('is not in the README any more', () => {
    expect(readPage('README.md')).not.toMatch(/^#+ Changelog/m);
  });
});
