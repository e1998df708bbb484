import { readmeInstallLine } from '../hosts/host-specs';
import { readPage } from '../support/markdown';

/** The README is the front page: short, and the pages under docs/ hold the rest (issue #30). */
describe('README.md', () => {
  const readme = readPage('README.md');

  it('stays under 250 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  });

  it('holds no benchmark or chaos run logs', () => {
    expect(readme).not.toMatch(/RESULT \{/);
  });

  it('names the same install lines as docs/getting-started.md (the host test installs the README’s)', () => {
    const guide = readPage('docs/getting-started.md');
    for (const major of [12, 11]) {
      expect(readmeInstallLine(guide, major)).toEqual(readmeInstallLine(readme, major));
    }
  });
});
