/** Delay before attempt `attempts + 1` of background work: exponential from 1 s, full jitter, capped. */
export function workBackoffMs(
  attempts: number,
  maxMs: number,
  random: number = Math.random(),
): number {
  const ceiling = Math.min(maxMs, 1000 * 2 ** Math.min(attempts, 30));
  return Math.max(1, Math.floor(random * ceiling));
}
