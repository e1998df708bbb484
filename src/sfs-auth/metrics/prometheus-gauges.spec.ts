import { Registry } from 'prom-client';
import { SAMPLE_GAUGES, SAMPLE_GAUGES_NOW } from '../../../test/support/health-gauges';
import type { SfsAuthHealthGauges } from '../model/health-gauges';
import { SfsPrometheusMetricsRecorder } from './prometheus-metrics.recorder';

const registerSfsGauges = (
  registry: Registry,
  source: () => Promise<SfsAuthHealthGauges>,
  clock: () => number,
) => new SfsPrometheusMetricsRecorder({ registry, now: clock }).observeGauges(source);

const gauges = SAMPLE_GAUGES;
const now = () => SAMPLE_GAUGES_NOW;

describe('SfsPrometheusMetricsRecorder gauges (observeGauges)', () => {
  it('reports the gauges, reading them once per scrape', async () => {
    const registry = new Registry();
    let reads = 0;
    registerSfsGauges(registry, async () => (reads++, gauges), now);
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
    registerSfsGauges(registry, async () => ({ ...gauges, oldestPendingRevocationAt: null }), now);
    expect(await registry.metrics()).toContain(
      '\nsfs_auth_oldest_pending_revocation_age_seconds 0\n',
    );
  });

  it('reports NaN when the gauges cannot be read, without failing the scrape', async () => {
    const registry = new Registry();
    registerSfsGauges(registry, () => Promise.reject(new Error('database down')), now);
    const text = await registry.metrics();
    // prom-client writes `Nan`; Prometheus parses the value case-insensitively.
    expect(text).toMatch(/\nsfs_auth_active_tokens nan\n/i);
    expect(text).toMatch(/\nsfs_auth_overdue_refreshes nan\n/i);
  });
});
