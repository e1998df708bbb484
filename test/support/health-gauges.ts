import type { SfsAuthHealthGauges } from '../../src';

/** Gauges of a module with some of everything; the oldest revocation pending for 90 s at `NOW`. */
export const SAMPLE_GAUGES: SfsAuthHealthGauges = {
  overdueRefreshes: 3,
  pendingRevocations: 2,
  oldestPendingRevocationAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0)),
  failedRevocations: 1,
  failedTokens: 4,
  activeTokens: 120,
  changeFeed: { configured: 'auto', mode: 'poll', lagMs: 750 },
};

/** The time the sample gauges are read at. */
export const SAMPLE_GAUGES_NOW = Date.UTC(2026, 0, 1, 0, 1, 30);
