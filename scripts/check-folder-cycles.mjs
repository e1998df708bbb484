// Fails when the feature folders of src/sfs-auth import each other in a cycle (type-only imports
// count). Each top-level folder is one node; a file directly in src/sfs-auth is a node of its own.
// `--graph` prints the folder graph, bottom first. Run by `npm run lint`.
import madge from 'madge';

const ROOT = 'src/sfs-auth';
const result = await madge(ROOT, {
  fileExtensions: ['ts'],
  tsConfig: 'tsconfig.json',
  excludeRegExp: [/\.spec\.ts$/],
});
const nodeOf = (file) => (file.includes('/') ? file.slice(0, file.indexOf('/')) + '/' : file);
const edges = new Map();
for (const [file, deps] of Object.entries(result.obj())) {
  if (file.startsWith('..')) continue; // outside src/sfs-auth (migrations)
  const from = nodeOf(file);
  if (!edges.has(from)) edges.set(from, new Set());
  for (const dep of deps) {
    if (dep.startsWith('..')) continue; // outside src/sfs-auth (migrations)
    const to = nodeOf(dep);
    if (to !== from) edges.get(from).add(to);
  }
}

// Tarjan's strongly connected components: any component of two or more folders is a cycle.
let index = 0;
const stack = [];
const meta = new Map();
const components = [];
function visit(node) {
  meta.set(node, { index, low: index, onStack: true });
  index += 1;
  stack.push(node);
  for (const next of edges.get(node) ?? []) {
    if (!meta.has(next)) {
      visit(next);
      meta.get(node).low = Math.min(meta.get(node).low, meta.get(next).low);
    } else if (meta.get(next).onStack) {
      meta.get(node).low = Math.min(meta.get(node).low, meta.get(next).index);
    }
  }
  if (meta.get(node).low === meta.get(node).index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      meta.get(member).onStack = false;
      component.push(member);
    } while (member !== node);
    components.push(component);
  }
}
for (const node of [...edges.keys()].sort()) if (!meta.has(node)) visit(node);

if (process.argv.includes('--graph')) {
  // Tarjan emits components dependencies first: the bottom of the graph comes out first.
  for (const [node] of components) {
    const deps = [...(edges.get(node) ?? [])].sort();
    console.log(`${node.padEnd(32)} -> ${deps.join(' ') || '(nothing)'}`);
  }
}
const cycles = components.filter((c) => c.length > 1);
for (const cycle of cycles) {
  console.error(`folder cycle: ${cycle.sort().join(' <-> ')}`);
  for (const from of cycle) {
    const back = [...edges.get(from)].filter((to) => cycle.includes(to));
    console.error(`  ${from} imports ${back.join(', ')}`);
  }
}
if (cycles.length > 0) process.exit(1);
console.log(`folders: ${components.length} nodes of ${ROOT}, no cycle between them`);
