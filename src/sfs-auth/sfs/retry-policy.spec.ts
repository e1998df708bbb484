import { SfsApiError, SfsInvalidInputError } from '../errors/sfs-auth.error';
import { backoffDelayMs, isRetryable, parseRetryAfter } from './retry-policy';

describe('backoffDelayMs', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

  it.each([
    // attempt, random, expected: ceiling = min(1000, 100 * 2^(attempt-1)), delay = floor(r * ceiling)
    [1, 0, 0],
    [1, 0.5, 50],
    [1, 0.999999, 99],
    [2, 0.5, 100],
    [3, 0.5, 200],
    [4, 0.25, 200],
    [4, 0.999999, 799],
    [5, 0.999999, 999], // capped at maxDelayMs
    [5, 0.5, 500],
    [40, 0.5, 500], // no overflow far past the cap
    [0, 0.5, 50], // attempt below 1 behaves as the first retry
    [2.7, 0.5, 100], // a fractional attempt counts as the attempt below it
    [1, -0.5, 0], // a random source below 0 is clamped, never a negative delay
  ])('attempt %d with random %d → %d ms', (attempt, random, expected) => {
    expect(backoffDelayMs(attempt, policy, () => random)).toBe(expected);
  });

  it('stays strictly below the ceiling even when random returns 1', () => {
    expect(backoffDelayMs(1, policy, () => 1)).toBe(99);
  });

  it('is full jitter: spans [0, ceiling) with Math.random', () => {
    const delays = Array.from({ length: 2000 }, () => backoffDelayMs(3, policy));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(400);
    expect(Math.min(...delays)).toBeLessThan(40);
    expect(Math.max(...delays)).toBeGreaterThan(360);
  });

  it('gives 0 when there is nothing to wait for', () => {
    expect(backoffDelayMs(3, { baseDelayMs: 0, maxDelayMs: 1000 }, () => 0.7)).toBe(0);
    expect(backoffDelayMs(3, { baseDelayMs: 100, maxDelayMs: 0 }, () => 0.7)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it.each<[string | null | undefined, number | undefined]>([
    ['1', 1000],
    ['0', 0],
    [' 120 ', 120_000],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Thursday, 01-Jan-26 00:00:05 GMT', 5_000],
    ['Thu Jan  1 00:00:02 2026', 2_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0], // in the past: clamped
    [undefined, undefined],
    [null, undefined],
    ['', undefined],
    ['soon', undefined],
    ['-5', undefined],
    ['1.5', undefined],
    ['1e3', undefined],
    ['12abc', undefined],
    ['2026-01-01', undefined], // not an HTTP-date
    ['Thu, 99 Foo 2026 00:00:00 GMT', undefined],
  ])('%j → %j', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe('isRetryable', () => {
  it.each<[unknown, boolean]>([
    [new SfsApiError('SFS_UNAVAILABLE', 'x', true), true],
    [new SfsApiError('SFS_REQUEST_REJECTED', 'x', false), false],
    [new SfsInvalidInputError('tenantId', 'is empty'), false],
    [new Error('boom'), false],
    [{ retryable: true }, false],
    [undefined, false],
  ])('%p → %p', (error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});
