import type { Provider } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { SfsPrometheusMetricsRecorder } from '../../index';
import { DEMO_METRICS_REGISTRY } from './metrics.controller';

/**
 * One registry per app (tests build several apps in one process), with the process metrics and
 * the module's counters and gauges (through the library's Prometheus recorder given to
 * `SfsAuthModule` as `metrics`).
 */
export function demoMetrics(): { recorder: SfsPrometheusMetricsRecorder; providers: Provider[] } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const recorder = new SfsPrometheusMetricsRecorder({ registry });
  return { recorder, providers: [{ provide: DEMO_METRICS_REGISTRY, useValue: registry }] };
}
