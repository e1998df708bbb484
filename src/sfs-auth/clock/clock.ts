/**
 * Time as a port, so expiry and refresh logic is tested by moving a clock instead of sleeping.
 *
 * @group Ports
 * @publicApi
 */
export interface SfsClock {
  /** Current time in milliseconds since the epoch. */
  now(): number;
}
/**
 * Injection token of the {@link SfsClock} port.
 *
 * @group Ports
 * @publicApi
 */
export const SfsClock = Symbol('SfsClock');

/** The wall clock. */
export class SfsSystemClock implements SfsClock {
  now(): number {
    return Date.now();
  }
}

/**
 * A clock that only moves when told: for tests.
 *
 * @group Testing
 * @publicApi
 */
export class SfsManualClock implements SfsClock {
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.current += ms;
  }
  /** Jumps to an absolute time (ms since the epoch). */
  set(ms: number): void {
    this.current = ms;
  }
}
