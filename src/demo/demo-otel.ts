/** What `OTEL_DEMO` set up, and how to flush and stop it. */
export interface DemoOtel {
  /** For the start banner. */
  readonly describe: string;
  /** Flushes what is buffered (the last metrics) and stops the exporters. */
  shutdown(): Promise<void>;
}

/**
 * `OTEL_DEMO=console`: the OpenTelemetry SDK set up the way any host does it, before the app is
 * built, printing spans (as they end) and metrics (every 10 s, and at shutdown) to the console. The module needs nothing else: it finds
 * `@opentelemetry/api`, so its spans and its default recorder (`SfsOtelMetricsRecorder`) reach
 * these providers. The SDK packages are dev dependencies of this repository, never of the package.
 */
export async function startDemoOtel(
  env: Readonly<Record<string, string | undefined>>,
): Promise<DemoOtel | undefined> {
  const mode = env.OTEL_DEMO;
  if (!mode) return undefined;
  if (mode !== 'console') {
    throw new Error(`OTEL_DEMO must be "console" or unset (got ${JSON.stringify(mode)})`);
  }
  const [api, hooks, traces, metrics] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/sdk-metrics'),
  ]);
  const tracerProvider = new traces.BasicTracerProvider({
    spanProcessors: [new traces.SimpleSpanProcessor(new traces.ConsoleSpanExporter())],
  });
  const meterProvider = new metrics.MeterProvider({
    readers: [
      new metrics.PeriodicExportingMetricReader({
        exporter: new metrics.ConsoleMetricExporter(),
        exportIntervalMillis: 10_000,
      }),
    ],
  });
  // What the SDK's Node setup registers: an async context manager (spans find their parent
  // across awaits) and the global providers.
  api.context.setGlobalContextManager(new hooks.AsyncLocalStorageContextManager().enable());
  api.trace.setGlobalTracerProvider(tracerProvider);
  api.metrics.setGlobalMeterProvider(meterProvider);
  return {
    describe: 'OpenTelemetry SDK, spans and metrics to the console (OTEL_DEMO=console)',
    async shutdown() {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
