import { SfsAuthError } from '../errors/sfs-auth.error';
import type { OtelSpan, OtelTraceApi } from './otel-trace-api';
import type {
  SfsHttpAttempt,
  SfsOperationOptions,
  SfsOperationSpan,
  SfsSpanAttributes,
  SfsSpanResult,
  SfsTracedOperation,
  SfsTracer,
  SfsWaitKind,
} from './tracer.types';

/** The instrumentation scope of every span of the module. */
const TRACER_NAME = 'nestjs-sfs-auth';

type Attributes = Record<string, string | number>;

/** An operation span and its wait totals; an enclosing operation gets the waits too. */
class OtelOperationSpan implements SfsOperationSpan {
  private readonly waits: Record<SfsWaitKind, number> = { bulkhead: 0, lease: 0 };

  constructor(
    private readonly span: OtelSpan,
    private readonly parent: OtelOperationSpan | undefined,
  ) {}

  /**
   * Whether the span records anything: not when no tracer provider is registered, or the sampler
   * dropped it. Then nothing is built for it (a refresh would otherwise allocate a few KB of
   * attributes for nothing).
   */
  get recording(): boolean {
    return this.span.isRecording();
  }

  set(attributes: SfsSpanAttributes): void {
    if (this.recording) this.span.setAttributes(defined(attributes));
  }

  addWait(kind: SfsWaitKind, ms: number): void {
    this.waits[kind] += ms;
    this.parent?.addWait(kind, ms);
  }

  rename(operation: SfsTracedOperation): void {
    this.span.updateName(`sfs-auth.${operation}`);
  }

  end(result: () => SfsSpanResult, errorStatus: number): void {
    if (this.recording) this.describe(result(), errorStatus);
    this.span.end();
  }

  private describe(result: SfsSpanResult, errorStatus: number): void {
    this.span.setAttributes({
      ...defined(result.attributes ?? {}),
      'sfs_auth.outcome': result.outcome,
      'sfs_auth.bulkhead.wait_ms': roundMs(this.waits.bulkhead),
      'sfs_auth.lease.wait_ms': roundMs(this.waits.lease),
      ...(result.errorCode
        ? { 'sfs_auth.error_code': result.errorCode, 'error.type': result.errorCode }
        : {}),
    });
    if (result.errorCode) this.span.setStatus({ code: errorStatus, message: result.errorCode });
  }
}

/**
 * {@link SfsTracer} on `@opentelemetry/api`: spans through the global tracer provider, parented
 * through the active context (the host's span, when there is one). Attributes carry identifiers,
 * outcomes, codes and timings only; never a token, secret or request body.
 */
export class SfsOtelTracer implements SfsTracer {
  /** Context key of the operation in progress, for its HTTP attempts and joined work. */
  private readonly key: symbol;

  constructor(private readonly api: OtelTraceApi) {
    this.key = api.createContextKey('nestjs-sfs-auth operation');
  }

  async operation<T>(
    operation: SfsTracedOperation,
    attributes: SfsSpanAttributes,
    fn: (span: SfsOperationSpan) => Promise<T>,
    options: SfsOperationOptions<T> = {},
  ): Promise<T> {
    const parent = this.api.context.active();
    const enclosing = parent.getValue(this.key) as OtelOperationSpan | undefined;
    if (options.join && enclosing) return fn(enclosing);
    const span = this.tracer().startSpan(
      `sfs-auth.${operation}`,
      { kind: this.api.SpanKind.INTERNAL, attributes: defined(attributes) },
      parent,
    );
    const state = new OtelOperationSpan(span, enclosing);
    const context = this.api.trace.setSpan(parent, span).setValue(this.key, state);
    const errorStatus = this.api.SpanStatusCode.ERROR;
    let value: T;
    try {
      value = await this.api.context.with(context, () => fn(state));
    } catch (error) {
      state.end(() => ({ outcome: 'failed', errorCode: errorCodeOf(error) }), errorStatus);
      throw error;
    }
    state.end(() => (options.describe ?? describeValue)(value), errorStatus);
    return value;
  }

  async httpAttempt<T extends { readonly status: number }>(
    attempt: SfsHttpAttempt,
    fn: () => Promise<T>,
  ): Promise<T> {
    const parent = this.api.context.active();
    const enclosing = parent.getValue(this.key) as OtelOperationSpan | undefined;
    enclosing?.addWait('bulkhead', attempt.bulkheadWaitMs);
    const span = this.tracer().startSpan(
      attempt.method,
      { kind: this.api.SpanKind.CLIENT, attributes: httpAttributes(attempt) },
      parent,
    );
    try {
      const response = await this.api.context.with(this.api.trace.setSpan(parent, span), fn);
      if (span.isRecording()) span.setAttributes({ 'http.response.status_code': response.status });
      return response;
    } catch (error) {
      if (!span.isRecording()) throw error;
      const status = error instanceof SfsAuthError ? error.status : undefined;
      const type = status ? String(status) : errorCodeOf(error);
      span.setAttributes({
        ...(status ? { 'http.response.status_code': status } : {}),
        'error.type': type,
      });
      span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: type });
      throw error;
    } finally {
      span.end();
    }
  }

  /** Asked each time, so a provider the host registers (or replaces) later is used. */
  private tracer() {
    return this.api.trace.getTracer(TRACER_NAME);
  }
}

/** The attributes of an SFS URL, by `href`: a module calls a handful of URLs, over and over. */
const urlAttributes = new Map<string, Attributes>();
const URL_ATTRIBUTES_KEPT = 64;

function attributesOfUrl(target: URL): Attributes {
  let found = urlAttributes.get(target.href);
  if (!found) {
    // Only scheme, host, port and path: user info or a query could carry a secret.
    const url = new URL(target.pathname, target.origin);
    const defaultPort = url.protocol === 'https:' ? 443 : 80;
    found = {
      'server.address': url.hostname.replace(/^\[(.*)\]$/, '$1'),
      'server.port': Number(url.port || defaultPort),
      'url.full': url.href,
    };
    if (urlAttributes.size >= URL_ATTRIBUTES_KEPT) urlAttributes.clear();
    urlAttributes.set(target.href, found);
  }
  return found;
}

/** The HTTP client attributes of the semantic conventions, and the module's own. */
function httpAttributes(attempt: SfsHttpAttempt): Attributes {
  return {
    'http.request.method': attempt.method,
    ...attributesOfUrl(attempt.url),
    ...(attempt.attempt > 1 ? { 'http.request.resend_count': attempt.attempt - 1 } : {}),
    'sfs.call': attempt.call,
    'sfs_auth.bulkhead.wait_ms': roundMs(attempt.bulkheadWaitMs),
  };
}

/**
 * The default span result, read from the shape of the module's reports: the value's `outcome` (or
 * `kind`), its `code` and `newTokenId`; `ok` for anything else.
 */
function describeValue(value: unknown): SfsSpanResult {
  const { outcome, kind, code, newTokenId } = (
    typeof value === 'object' && value !== null ? value : {}
  ) as { outcome?: unknown; kind?: unknown; code?: unknown; newTokenId?: unknown };
  return {
    outcome: typeof outcome === 'string' ? outcome : typeof kind === 'string' ? kind : 'ok',
    errorCode: typeof code === 'string' ? code : undefined,
    attributes: {
      'sfs_auth.new_token_id': typeof newTokenId === 'string' ? newTokenId : undefined,
    },
  };
}

/** The low-cardinality code of a failure: the module's error code, else the error's name. */
function errorCodeOf(error: unknown): string {
  if (error instanceof SfsAuthError) return error.code;
  return error instanceof Error ? error.name : 'error';
}

function defined(attributes: SfsSpanAttributes): Attributes {
  const out: Attributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Milliseconds to a tenth: finer is noise. */
function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
