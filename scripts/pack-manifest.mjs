// The published package.json: `npm pack` runs `strip` (prepack) and `restore` (postpack).
// The repository's own scripts (demo, bench, chaos, migrations on ormconfig.ts) mean nothing in a
// host's node_modules and name files the tarball does not ship, so the packed manifest has none.
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const MANIFEST = 'package.json';
const BACKUP = '.package.json.prepack';
const REPO_ONLY = ['scripts', 'devDependencies', 'allowScripts'];

const command = process.argv[2];
if (command === 'strip') {
  if (existsSync(BACKUP)) restore(); // a pack that died between the two steps
  copyFileSync(MANIFEST, BACKUP);
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  for (const field of REPO_ONLY) delete manifest[field];
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
} else if (command === 'restore') {
  restore();
} else {
  console.error('usage: node scripts/pack-manifest.mjs strip|restore');
  process.exit(2);
}

function restore() {
  if (existsSync(BACKUP)) renameSync(BACKUP, MANIFEST);
}
