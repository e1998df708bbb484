import { Gauge, type Registry } from 'prom-client';
import type { SfsTokenHealthFigures } from '../../index';

/** Reads the module-wide figures (e.g. from `SfsAuthHealthIndicator`). */
export type SfsFiguresSource = () => Promise<SfsTokenHealthFigures>;

/**
 * Registers the token gauges on `registry`; each scrape reads the figures once (the five gauges
 * share one in-flight read). When the read fails the gauges report NaN rather than stale numbers,
 * and the rest of the scrape (counters, histograms) still succeeds.
 */
export function registerSfsGauges(
  registry: Registry,
  figures: SfsFiguresSource,
  now: () => number = Date.now,
): void {
  let inFlight: Promise<SfsTokenHealthFigures | null> | undefined;
  const read = (): Promise<SfsTokenHealthFigures | null> => {
    inFlight ??= figures()
      .catch(() => null)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  const gauge = (name: string, help: string, value: (f: SfsTokenHealthFigures) => number) =>
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
}
