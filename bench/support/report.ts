import { meetsGoal, type BenchMetric } from './figure';
import { summarize } from './stats';

/** Three significant digits, without exponent notation for the sizes seen here. */
function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** The result table: figure, median, min, max, goal, met?, repetitions. */
export function formatTable(metrics: readonly BenchMetric[]): string {
  const header = ['figure', 'median', 'min', 'max', 'goal', 'met?', 'reps'];
  const rows = metrics.map((metric) => {
    const s = summarize(metric.samples);
    const goal = metric.goal ? `${metric.goal.op} ${metric.goal.value}` : '-';
    const met = metric.goal ? (meetsGoal(s.median, metric.goal) ? 'yes' : 'NO') : '-';
    return [
      `${metric.key} (${metric.label})`,
      formatNumber(s.median),
      formatNumber(s.min),
      formatNumber(s.max),
      goal,
      met,
      String(s.count),
    ];
  });
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** `RESULT {json}`: each metric's median under its key, rounded to 4 significant digits. */
export function formatResultLine(metrics: readonly BenchMetric[]): string {
  const result: Record<string, number> = {};
  for (const metric of metrics) {
    result[metric.key] = Number(summarize(metric.samples).median.toPrecision(4));
  }
  return `RESULT ${JSON.stringify(result)}`;
}

/** Prints the table, the notes, the wall time since `startedAt` and, last, the `RESULT` line. */
export function printReport(
  metrics: readonly BenchMetric[],
  notes: readonly string[],
  startedAt: number,
): void {
  console.log(formatTable(metrics));
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`wall time: ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  console.log(formatResultLine(metrics));
}

/**
 * Runs a bench entry point: exit 0 when it resolves, 1 (with the error) when it fails. Everything
 * is closed by then; the delayed exit only guards against a stray handle keeping the process alive.
 */
export function runBenchMain(label: string, main: () => Promise<void>): void {
  main().then(
    () => setTimeout(() => process.exit(0), 5000).unref(),
    (error: unknown) => {
      console.error(`${label} failed:`, error);
      process.exitCode = 1;
      setTimeout(() => process.exit(1), 5000).unref();
    },
  );
}
