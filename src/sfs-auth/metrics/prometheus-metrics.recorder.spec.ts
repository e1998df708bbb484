import { Registry } from 'prom-client';
import { SfsPrometheusMetricsRecorder } from './prometheus-metrics.recorder';

describe('SfsPrometheusMetricsRecorder', () => {
  it('exposes every operation/outcome series from the start, at 0', async () => {
    const registry = new Registry();
    new SfsPrometheusMetricsRecorder({ registry });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE sfs_auth_operations_total counter');
    for (const operation of ['mint', 'refresh', 'revoke']) {
      for (const outcome of ['ok', 'retry', 'failed']) {
        expect(text).toContain(
          `sfs_auth_operations_total{operation="${operation}",outcome="${outcome}"} 0\n`,
        );
      }
    }
  });

  it('counts operations by outcome', async () => {
    const registry = new Registry();
    const recorder = new SfsPrometheusMetricsRecorder({ registry });
    recorder.countOperation('refresh', 'ok');
    recorder.countOperation('refresh', 'ok');
    recorder.countOperation('revoke', 'retry');
    const text = await registry.metrics();
    expect(text).toContain('sfs_auth_operations_total{operation="refresh",outcome="ok"} 2\n');
    expect(text).toContain('sfs_auth_operations_total{operation="revoke",outcome="retry"} 1\n');
    expect(text).toContain('sfs_auth_operations_total{operation="mint",outcome="ok"} 0\n');
  });

  it('observes SFS calls in seconds, by call and status (0: no answer)', async () => {
    const registry = new Registry();
    const recorder = new SfsPrometheusMetricsRecorder({ registry });
    recorder.observeSfsCall({ call: 'client_token', status: 201, durationMs: 30 });
    recorder.observeSfsCall({ call: 'client_token', status: 201, durationMs: 700 });
    recorder.observeSfsCall({ call: 'api', status: 0, durationMs: 10_000 });
    const text = await registry.metrics();
    const series = 'sfs_auth_sfs_call_duration_seconds';
    expect(text).toContain(`# TYPE ${series} histogram`);
    expect(text).toContain(`${series}_bucket{le="0.05",call="client_token",status="201"} 1\n`);
    expect(text).toContain(`${series}_bucket{le="1",call="client_token",status="201"} 2\n`);
    expect(text).toContain(`${series}_sum{call="client_token",status="201"} 0.73\n`);
    expect(text).toContain(`${series}_count{call="client_token",status="201"} 2\n`);
    // A timeout at the default 10 s still falls in a finite bucket.
    expect(text).toContain(`${series}_bucket{le="5",call="api",status="0"} 0\n`);
    expect(text).toContain(`${series}_bucket{le="10",call="api",status="0"} 1\n`);
  });
});
