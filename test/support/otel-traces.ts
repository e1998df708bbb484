import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/**
 * The OpenTelemetry trace SDK in memory, set up the way a host does it: a global tracer provider
 * and an AsyncLocalStorage context manager (what the SDK's Node setup registers).
 */
export class InMemoryTraces {
  private readonly exporter = new InMemorySpanExporter();
  readonly provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(this.exporter)],
  });

  /** Registers the provider and a context manager globally. */
  register(): this {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(this.provider);
    return this;
  }

  /** Every finished span so far, oldest first. */
  spans(): ReadableSpan[] {
    return this.exporter.getFinishedSpans();
  }

  /** The finished spans after the first `from`. */
  since(from: number): ReadableSpan[] {
    return this.spans().slice(from);
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown();
    trace.disable();
    context.disable();
  }
}

/** The parent span id of a span (SDK 2.x keeps it in `parentSpanContext`). */
export function parentIdOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** Every attribute value of every span, as one string to search for secrets. */
export function allAttributeText(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((s) => [s.name, s.attributes, s.status, s.events.map((e) => e.attributes)]),
  );
}
