import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** A reader that collects on demand: the OpenTelemetry SDK in memory, for assertions. */
class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** One collected data point: its instrument, attributes and value. */
export interface SeenPoint {
  readonly name: string;
  readonly unit: string;
  readonly attributes: Record<string, unknown>;
  readonly value: number | { count: number; sum?: number };
}

/** A MeterProvider of the real SDK whose metrics a test reads with `collect()`. */
export class InMemoryMetrics {
  private readonly reader = new OnDemandReader();
  readonly provider = new MeterProvider({ readers: [this.reader] });

  async collect(): Promise<SeenPoint[]> {
    const { resourceMetrics } = await this.reader.collect();
    return points(resourceMetrics);
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

function points(resource: ResourceMetrics): SeenPoint[] {
  return resource.scopeMetrics.flatMap((scope) =>
    scope.metrics.flatMap((metric) =>
      (metric.dataPoints as DataPoint<unknown>[]).map((point) => ({
        name: metric.descriptor.name,
        unit: metric.descriptor.unit,
        attributes: { ...point.attributes },
        value: point.value as SeenPoint['value'],
      })),
    ),
  );
}
