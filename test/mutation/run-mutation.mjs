// Runs StrykerJS on the pure-logic modules (stryker.config.mjs), prints the score of every mutated
// file, and ends with one machine-readable line:
//   RESULT {"mutationScore": n, "mutants": n, "survived": n}
// `mutants` counts the mutants that decide the score (killed, timed out, survived, not covered);
// `survived` counts the undetected ones (survived + not covered). Exits 1 under THRESHOLD %.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const THRESHOLD = 90;
const REPORT = join('reports', 'mutation', 'mutation.json');
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

rmSync(REPORT, { force: true });
const started = Date.now();
const stryker = spawnSync(
  process.execPath,
  [
    join('node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'),
    'run',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
const seconds = Math.round((Date.now() - started) / 1000);

if (stryker.status !== 0 || !existsSync(REPORT)) {
  console.error(`stryker failed (exit ${stryker.status ?? stryker.signal}) after ${seconds} s`);
  console.log(`RESULT ${JSON.stringify({ mutationScore: 0, mutants: 0, survived: 0 })}`);
  process.exit(1);
}

const report = JSON.parse(readFileSync(REPORT, 'utf8'));
const total = { detected: 0, undetected: 0, ignored: 0 };
const rows = [];
for (const [file, { mutants }] of Object.entries(report.files)) {
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
  total.detected += detected;
  total.undetected += undetected;
  total.ignored += mutants.filter((m) => m.status === 'Ignored').length;
  const score = detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected);
  rows.push(
    `${score.toFixed(1).padStart(6)} %  ${String(detected + undetected).padStart(4)} mutants  ${String(undetected).padStart(3)} undetected  ${file}`,
  );
}
const mutants = total.detected + total.undetected;
const mutationScore = mutants === 0 ? 100 : Math.round((10000 * total.detected) / mutants) / 100;
console.log(`\nmutation score by file (threshold ${THRESHOLD} %, run took ${seconds} s):`);
console.log(rows.sort().join('\n'));
console.log(`ignored (static, see stryker.config.mjs): ${total.ignored}`);
console.log(`RESULT ${JSON.stringify({ mutationScore, mutants, survived: total.undetected })}`);
process.exit(mutationScore >= THRESHOLD ? 0 : 1);
