// The OpenTelemetry SDK's own setup, and nothing else, for a host that already runs the library:
// test/hosts/main.ts preloads it (`node -r ./otel-setup.cjs dist/main.js`) into the NestJS 12 host
// once `@opentelemetry/api` and the SDK are installed there. At exit it prints, in the host's
// `ok - <check>` format, whether the module's spans and metrics reached the SDK.
const { context, metrics, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} = require('@opentelemetry/sdk-trace-base');
const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');

class OnDemandReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

const spans = new InMemorySpanExporter();
const reader = new OnDemandReader();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
);
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

function report(name, ok, detail) {
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${ok ? '' : ` # ${detail}`}`);
  if (!ok) process.exitCode = 1;
}

let reported = false;
process.on('beforeExit', async () => {
  if (reported) return;
  reported = true;
  const finished = spans.getFinishedSpans();
  const names = [...new Set(finished.map((s) => s.name))].sort();
  const mint = finished.find((s) => s.name === 'sfs-auth.mint');
  const attempts = finished.filter(
    (s) => mint && s.name === 'POST' && s.parentSpanContext?.spanId === mint.spanContext().spanId,
  );
  const expected = ['POST', 'sfs-auth.mint', 'sfs-auth.platform-token', 'sfs-auth.revoke'];
  report(
    'with the OpenTelemetry SDK registered: spans sfs-auth.mint (its SFS attempts as children), sfs-auth.revoke, sfs-auth.platform-token',
    expected.every((name) => names.includes(name)) && attempts.length > 0,
    `spans seen: ${names.join(', ') || 'none'}; HTTP children of the mint: ${attempts.length}`,
  );
  const { resourceMetrics } = await reader.collect();
  const instruments = resourceMetrics.scopeMetrics.flatMap((s) =>
    s.metrics.map((m) => m.descriptor.name),
  );
  report(
    'with the OpenTelemetry SDK registered: metrics http.client.request.duration and sfs_auth.operations',
    ['http.client.request.duration', 'sfs_auth.operations'].every((n) => instruments.includes(n)),
    `instruments seen: ${instruments.join(', ') || 'none'}`,
  );
});
