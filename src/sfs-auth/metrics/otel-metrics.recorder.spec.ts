import { InMemoryMetrics } from '../../../test/support/otel-metrics';
import { SAMPLE_GAUGES as gauges, SAMPLE_GAUGES_NOW } from '../../../test/support/health-gauges';
import { SfsOtelMetricsRecorder } from './otel-metrics.recorder';

describe('SfsOtelMetricsRecorder on the OpenTelemetry SDK (in memory)', () => {
  let sdk: InMemoryMetrics;
  let recorder: SfsOtelMetricsRecorder;
  beforeEach(() => {
    sdk = new InMemoryMetrics();
    recorder = new SfsOtelMetricsRecorder({
      meter: sdk.provider.getMeter('test'),
      serverAddress: 'api.sendforsign.com',
      serverPort: 443,
      now: () => SAMPLE_GAUGES_NOW,
    });
  });
  afterEach(() => sdk.shutdown());

  it('records each SFS attempt in http.client.request.duration, in seconds, with the semantic conventions', async () => {
    recorder.observeSfsCall({ call: 'client_token', status: 201, durationMs: 40 });
    recorder.observeSfsCall({ call: 'client_token', status: 201, durationMs: 60 });
    recorder.observeSfsCall({ call: 'platform_token', status: 503, durationMs: 5 });
    recorder.observeSfsCall({ call: 'client_revoke', status: 0, durationMs: 10_000 });
    const seen = (await sdk.collect()).filter((p) => p.name === 'http.client.request.duration');
    expect(
      seen.map((p) => [
        p.attributes,
        p.value && typeof p.value === 'object' ? p.value.count : p.value,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [
          {
            'http.request.method': 'POST',
            'server.address': 'api.sendforsign.com',
            'server.port': 443,
            'http.response.status_code': 201,
            'sfs.call': 'client_token',
          },
          2,
        ],
        [expect.objectContaining({ 'http.response.status_code': 503, 'error.type': '503' }), 1],
        [expect.objectContaining({ 'error.type': 'network', 'sfs.call': 'client_revoke' }), 1],
      ]),
    );
    expect(seen).toHaveLength(3);
    expect(seen[0].unit).toBe('s');
    const ok = seen.find((p) => p.attributes['sfs.call'] === 'client_token')!;
    expect((ok.value as { sum: number }).sum).toBeCloseTo(0.1, 6);
  });

  it('counts operations by outcome', async () => {
    recorder.countOperation('mint', 'ok');
    recorder.countOperation('mint', 'ok');
    recorder.countOperation('revoke', 'retry');
    const seen = (await sdk.collect()).filter((p) => p.name === 'sfs_auth.operations');
    expect(seen.map((p) => [p.attributes, p.value])).toEqual(
      expect.arrayContaining([
        [{ 'sfs_auth.operation': 'mint', 'sfs_auth.outcome': 'ok' }, 2],
        [{ 'sfs_auth.operation': 'revoke', 'sfs_auth.outcome': 'retry' }, 1],
      ]),
    );
  });

  it('observes the health gauges as gauges, with one read per collection', async () => {
    let reads = 0;
    recorder.observeGauges(async () => (reads++, gauges));
    const seen = await sdk.collect();
    const gauge = (name: string) => seen.find((p) => p.name === `sfs_auth.${name}`)?.value;
    expect(gauge('active_tokens')).toBe(120);
    expect(gauge('overdue_refreshes')).toBe(3);
    expect(gauge('pending_revocations')).toBe(2);
    expect(gauge('failed_revocations')).toBe(1);
    expect(gauge('failed_tokens')).toBe(4);
    expect(gauge('oldest_pending_revocation_age')).toBe(90);
    expect(gauge('change_feed_lag')).toBe(0.75);
    expect(
      seen
        .filter((p) => p.name === 'sfs_auth.change_feed.mode')
        .map((p) => [p.attributes['sfs_auth.mode'], p.value]),
    ).toEqual([
      ['listen', 0],
      ['poll', 1],
      ['degraded', 0],
    ]);
    expect(reads).toBe(1);
  });

  it('observes nothing when the gauges cannot be read, and the collection still succeeds', async () => {
    recorder.observeGauges(() => Promise.reject(new Error('database down')));
    recorder.countOperation('mint', 'failed');
    const seen = await sdk.collect();
    expect(
      seen.filter((p) => p.name.startsWith('sfs_auth.') && p.name !== 'sfs_auth.operations'),
    ).toEqual([]);
    expect(seen.some((p) => p.name === 'sfs_auth.operations')).toBe(true);
  });
});
