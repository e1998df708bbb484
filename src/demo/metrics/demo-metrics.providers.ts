import { Inject, Injectable, type OnModuleInit, type Provider } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { SfsAuthHealthIndicator } from '../../index';
import { DEMO_METRICS_REGISTRY } from './metrics.controller';
import { PrometheusMetricsRecorder } from './prometheus-metrics.recorder';
import { registerSfsGauges } from './sfs-gauges';

/** Registers the token gauges once the module's health indicator exists. */
@Injectable()
class DemoGaugesRegistration implements OnModuleInit {
  constructor(
    @Inject(DEMO_METRICS_REGISTRY) private readonly registry: Registry,
    private readonly health: SfsAuthHealthIndicator,
  ) {}

  onModuleInit(): void {
    registerSfsGauges(this.registry, () => this.health.figures());
  }
}

/**
 * One registry per app (tests build several apps in one process), with the process metrics, the
 * module's counters (through the recorder given to `SfsAuthModule`) and the token gauges.
 */
export function demoMetrics(): { recorder: PrometheusMetricsRecorder; providers: Provider[] } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const recorder = new PrometheusMetricsRecorder(registry);
  return {
    recorder,
    providers: [{ provide: DEMO_METRICS_REGISTRY, useValue: registry }, DemoGaugesRegistration],
  };
}
