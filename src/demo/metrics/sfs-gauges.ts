import { Gauge, type Registry } from 'prom-client';
import type { SfsAuthHealthFigures } from '../../index';

/** Reads the module-wide figures (e.g. from `SfsAuthHealthIndicator`). */
export type SfsFiguresSource = () => Promise<SfsAuthHealthFigures>;

/**
 * Registers the token and change-feed gauges on `registry`; each scrape reads the figures once
 * (the gauges share one in-flight read). When the read fails the gauges report NaN rather than stale numbers,
 * and the rest of the scrape (counters, histograms) still succeeds.
 */
export function registerSfsGauges(
  registry: Registry,
  figures: SfsFiguresSource,
  now: () => number = Date.now,
): void {
  let inFlight: Promise<SfsAuthHealthFigures | null> | undefined;
  const read = (): Promise<SfsAuthHealthFigures | null> => {
    inFlight ??= figures()
      .catch(() => null)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  const gauge = (name: string, help: string, value: (f: SfsAuthHealthFigures) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const current = await read();
        this.set(current ? value(current) : NaN);
      },
    });

  gauge(
    'sfs_auth_overdue_refreshes',
    'Active tokens past their refresh time',
    (f) => f.overdueRefreshes,
  );
  gauge(
    'sfs_auth_pending_revocations',
    'Revocations SFS has not confirmed yet',
    (f) => f.pendingRevocations,
  );
  gauge('sfs_auth_failed_tokens', 'Token rows in status failed', (f) => f.failedTokens);
  gauge('sfs_auth_active_tokens', 'Token rows in status active', (f) => f.activeTokens);
  gauge(
    'sfs_auth_oldest_pending_revocation_age_seconds',
    'Age of the oldest pending revocation (0 when none)',
    (f) =>
      f.oldestPendingRevocationAt
        ? Math.max(0, (now() - f.oldestPendingRevocationAt.getTime()) / 1000)
        : 0,
  );
  gauge(
    'sfs_auth_change_feed_lag_seconds',
    'How far behind the change feed may be (listen: probe round trip; poll: age of the last poll)',
    (f) => (f.changeFeed.lagMs === null ? NaN : f.changeFeed.lagMs / 1000),
  );
  new Gauge({
    name: 'sfs_auth_change_feed_mode',
    help: 'Current change feed mode: 1 for the mode in use (listen, poll or degraded), 0 otherwise',
    labelNames: ['mode'],
    registers: [registry],
    async collect() {
      const current = await read();
      for (const mode of ['listen', 'poll', 'degraded'] as const) {
        this.set({ mode }, current ? Number(current.changeFeed.mode === mode) : NaN);
      }
    },
  });
}
