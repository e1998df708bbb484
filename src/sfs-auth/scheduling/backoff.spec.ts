import { workBackoffMs } from './backoff';

describe('workBackoffMs', () => {
  it.each([
    // attempts, max, random, expected: floor(random × min(max, 1000 × 2^min(attempts, 30))), at least 1
    [0, 600_000, 0.5, 500],
    [1, 600_000, 0.5, 1000],
    [3, 600_000, 0.999, 7992],
    [10, 600_000, 0.5, 300_000], // 1000 × 2^10 > max: capped
    [30, 86_400_000, 0.5, 43_200_000],
    [31, Number.MAX_SAFE_INTEGER, 1, 1000 * 2 ** 30], // exponent capped at 30
    [0, 600_000, 0, 1], // never 0: the row is not retried in the same tick
    [5, 1, 0.9, 1],
  ])('attempts %d, max %d, random %d → %d ms', (attempts, max, random, expected) => {
    expect(workBackoffMs(attempts, max, random)).toBe(expected);
  });

  it('draws Math.random when no random is given, within [1, ceiling)', () => {
    for (let i = 0; i < 200; i++) {
      const delay = workBackoffMs(2, 600_000);
      expect(delay).toBeGreaterThanOrEqual(1);
      expect(delay).toBeLessThan(4000);
    }
  });
});
