/**
 * The slice of `@opentelemetry/api` the tracing glue uses. Typed here so that no type of the
 * package names an optional peer; `@opentelemetry/api` 1.x fits.
 */
export interface OtelTraceApi {
  readonly trace: {
    getTracer(name: string): OtelTracer;
    setSpan(context: OtelContext, span: OtelSpan): OtelContext;
  };
  readonly context: {
    active(): OtelContext;
    with<R>(context: OtelContext, fn: () => R): R;
  };
  createContextKey(description: string): symbol;
  readonly SpanKind: { readonly INTERNAL: number; readonly CLIENT: number };
  readonly SpanStatusCode: { readonly ERROR: number };
}

/** An immutable OpenTelemetry context. */
export interface OtelContext {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): OtelContext;
  deleteValue(key: symbol): OtelContext;
}

/** A tracer of the global provider. */
export interface OtelTracer {
  startSpan(
    name: string,
    options: { kind: number; attributes: Record<string, string | number> },
    context: OtelContext,
  ): OtelSpan;
}

/** A span, as far as the glue uses it. */
export interface OtelSpan {
  setAttributes(attributes: Record<string, string | number>): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  updateName(name: string): unknown;
  isRecording(): boolean;
  end(): void;
}
