import { SfsAuthError } from '../errors/sfs-auth.error';

/** The backoff part of the retry options. */
export interface SfsBackoffOptions {
  /** Ceiling of the first retry's delay; each further retry doubles it. */
  readonly baseDelayMs: number;
  /** Cap of every ceiling. */
  readonly maxDelayMs: number;
}

/**
 * Delay before retry number `attempt` (1 = the first retry): capped exponential backoff with full
 * jitter, i.e. uniform in `[0, min(maxDelayMs, baseDelayMs * 2^(attempt-1)))`. Full jitter spreads
 * the retries of many callers that failed at the same moment.
 *
 * @param random source of uniform numbers in `[0, 1)`. @default Math.random
 */
export function backoffDelayMs(
  attempt: number,
  options: SfsBackoffOptions,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const ceiling = Math.max(0, Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent));
  const roll = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.floor(roll * ceiling), Math.max(0, ceiling - 1));
}

const DELTA_SECONDS = /^\d{1,10}$/;
/** Every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with a day name. */
const HTTP_DATE = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,? /i;

/**
 * Parses a `Retry-After` header: delta-seconds or an HTTP-date. Returns the wait in milliseconds
 * (a date in the past gives 0), or `undefined` when the header is absent or unparsable.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  nowMs: number,
): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (DELTA_SECONDS.test(value)) return Number(value) * 1000;
  if (!HTTP_DATE.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Whether a failure may succeed if the same call is made again (a typed, retryable error). */
export function isRetryable(error: unknown): boolean {
  return error instanceof SfsAuthError && error.retryable;
}
