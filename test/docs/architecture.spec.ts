import { execFileSync } from 'node:child_process';
import { codeSpans, readPage, ROOT } from '../support/markdown';

/** A folder (`serving/`) or a file directly in src/sfs-auth, and what it imports. */
type FolderGraph = Map<string, Set<string>>;

/** The graph `npm run lint` checks (`scripts/check-folder-cycles.mjs --graph`), read from its output. */
function codeGraph(): FolderGraph {
  const out = execFileSync(process.execPath, ['scripts/check-folder-cycles.mjs', '--graph'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const graph: FolderGraph = new Map();
  for (const line of out.split('\n')) {
    const match = /^(\S+)\s+-> (.*)$/.exec(line);
    if (!match) continue;
    const deps = match[2] === '(nothing)' ? [] : match[2].split(' ');
    graph.set(match[1], new Set(deps));
  }
  return graph;
}

/** The map's table: each row's folder (first code span) and its imports column. */
export function mapGraph(markdown: string): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line.split(' | ');
    if (cells.length !== 3) continue;
    const [folder] = codeSpans(cells[0]);
    graph.set(folder, new Set(codeSpans(cells[2])));
  }
  return graph;
}

const sorted = (graph: FolderGraph) =>
  Object.fromEntries(
    [...graph].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()]),
  );

describe('docs/architecture.md, the map of src/sfs-auth', () => {
  it('lists every folder with exactly the folders its code imports', () => {
    const code = codeGraph();
    expect(code.size).toBeGreaterThan(20);
    expect(sorted(mapGraph(readPage('docs/architecture.md')))).toEqual(sorted(code));
  });

  it('reads a row the way the test compares it (a wrong imports cell would be seen)', () => {
    const page = [
      '| folder | owns | imports |',
      '|---|---|---|',
      '| `serving/` | the mint | `errors/` `model/` |',
      '| `errors/` | errors | — |',
    ].join('\n');
    expect(sorted(mapGraph(page))).toEqual({ 'errors/': [], 'serving/': ['errors/', 'model/'] });
  });
});
