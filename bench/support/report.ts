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
