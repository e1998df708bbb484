/** Nanoseconds elapsed since `start` (a `process.hrtime.bigint()` reading). */
export function elapsedNs(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

/**
 * Average nanoseconds per call of `op`, awaited one after the other `ops` times: a batch long
 * enough that the timer's resolution does not matter.
 */
export async function nsPerSequentialOp(
  ops: number,
  op: (index: number) => Promise<unknown>,
): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await op(i);
  return elapsedNs(start) / ops;
}

/** Formats nanoseconds per operation with a readable unit. */
export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}
