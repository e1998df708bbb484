import type { BenchEnvironment } from './bench-environment';

/** The goal of a metric, compared with its median. */
export interface BenchGoal {
  readonly op: '>=' | '<=' | '==';
  readonly value: number;
}

/** One measured number: a sample per repetition (after warm-up), and its goal if it has one. */
export interface BenchMetric {
  /** Key in the `RESULT` JSON. */
  readonly key: string;
  /** What the number is, for the table (unit included). */
  readonly label: string;
  readonly samples: number[];
  readonly goal?: BenchGoal;
}

/** What a figure measured, plus lines worth printing after the table (absolute times, plans). */
export interface BenchFigureResult {
  readonly metrics: BenchMetric[];
  readonly notes: string[];
}

/** One figure of the benchmark: sets up what it needs in `env`, measures, and cleans up. */
export interface BenchFigure {
  readonly name: string;
  run(env: BenchEnvironment): Promise<BenchFigureResult>;
}

/** Whether `value` meets `goal`. */
export function meetsGoal(value: number, goal: BenchGoal): boolean {
  if (goal.op === '>=') return value >= goal.value;
  if (goal.op === '<=') return value <= goal.value;
  return value === goal.value;
}

/** Progress line on stderr, so stdout stays the table and the `RESULT` line. */
export function progress(message: string): void {
  process.stderr.write(`# ${message}\n`);
}
