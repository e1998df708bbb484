import { Registry } from 'prom-client';
import { SAMPLE_FIGURES, SAMPLE_FIGURES_NOW } from '../../../test/support/health-figures';
import type { SfsAuthHealthFigures } from '../model/health-figures';
import { SfsPrometheusMetricsRecorder } from './prometheus-metrics.recorder';

const registerSfsGauges = (
  registry: Registry,
  source: () => Promise<SfsAuthHealthFigures>,
  clock: () => number,
) => new SfsPrometheusMetricsRecorder({ registry, now: clock }).observeFigures(source);

const figures = SAMPLE_FIGURES;
const now = () => SAMPLE_FIGURES_NOW;

describe('SfsPrometheusMetricsRecorder gauges (observeFigures)', () => {
  it('reports the figures, reading them once per scrape', async () => {
    const registry = new Registry();
    let reads = 0;
    registerSfsGauges(registry, async () => (reads++, figures), now);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE sfs_auth_overdue_refreshes gauge\n');
    expect(text).toContain('\nsfs_auth_overdue_refreshes 3\n');
    expect(text).toContain('\nsfs_auth_pending_revocations 2\n');
    expect(text).toContain('\nsfs_auth_failed_tokens 4\n');
    expect(text).toContain('\nsfs_auth_active_tokens 120\n');
    expect(text).toContain('\nsfs_auth_oldest_pending_revocation_age_seconds 90\n');
    expect(text).toContain('\nsfs_auth_change_feed_lag_seconds 0.75\n');
    expect(text).toContain('\nsfs_auth_change_feed_mode{mode="listen"} 0\n');
    expect(text).toContain('\nsfs_auth_change_feed_mode{mode="poll"} 1\n');
    expect(text).toContain('\nsfs_auth_change_feed_mode{mode="degraded"} 0\n');
    expect(reads).toBe(1);
    await registry.metrics();
    expect(reads).toBe(2);
  });

  it('reports age 0 when nothing is pending', async () => {
    const registry = new Registry();
    registerSfsGauges(registry, async () => ({ ...figures, oldestPendingRevocationAt: null }), now);
    expect(await registry.metrics()).toContain(
      '\nsfs_auth_oldest_pending_revocation_age_seconds 0\n',
    );
  });

  it('reports NaN when the figures cannot be read, without failing the scrape', async () => {
    const registry = new Registry();
    registerSfsGauges(registry, () => Promise.reject(new Error('database down')), now);
    const text = await registry.metrics();
    // prom-client writes `Nan`; Prometheus parses the value case-insensitively.
    expect(text).toMatch(/\nsfs_auth_active_tokens nan\n/i);
    expect(text).toMatch(/\nsfs_auth_overdue_refreshes nan\n/i);
  });
});
