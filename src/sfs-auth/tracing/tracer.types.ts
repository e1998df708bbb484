/** The types of the module's tracing seam (`sfs-tracer.ts`), shared with its OpenTelemetry implementation. */

/** Attribute values the module puts on its spans (`undefined` ones are left out). */
export type SfsSpanAttributes = Readonly<Record<string, string | number | undefined>>;

/** The traced operations; each is a span named `sfs-auth.<operation>`. */
export type SfsTracedOperation = 'mint' | 'refresh' | 'revoke' | 'platform-token';

/** What the module waits for inside an operation, reported as `sfs_auth.<kind>.wait_ms`. */
export type SfsWaitKind = 'bulkhead' | 'lease';

/** How an operation ended, as its span reports it. */
export interface SfsSpanResult {
  /** `sfs_auth.outcome`: `minted`, `found`, `refreshed`, `revoked`, `retry`, `failed`... */
  readonly outcome: string;
  /** `sfs_auth.error_code` and `error.type`; the span's status becomes ERROR. */
  readonly errorCode?: string;
  readonly attributes?: SfsSpanAttributes;
}

/** An operation span in progress, as the code it wraps annotates it. */
export interface SfsOperationSpan {
  set(attributes: SfsSpanAttributes): void;
  /** Adds `ms` to a wait total of this operation (and of the operations around it). */
  addWait(kind: SfsWaitKind, ms: number): void;
  /** A mint that turns out to replace the key's token is a refresh (as the metrics count it). */
  rename(operation: SfsTracedOperation): void;
}

/** Options of {@link SfsTracer.operation}. */
export interface SfsOperationOptions<T> {
  /** Run inside an operation already in progress (its span), if there is one. @default false */
  readonly join?: boolean;
  /** The span's result. @default the value's `outcome` or `kind`, and its `code` */
  readonly describe?: (value: T) => SfsSpanResult;
}

/** One HTTP attempt to SFS, for its client span. */
export interface SfsHttpAttempt {
  readonly method: string;
  /** The request URL; the span gets it without user info, query or fragment. */
  readonly url: URL;
  /** Which SFS call (`sfs.call`, as in the metrics). */
  readonly call: string;
  /** 1 for the first attempt; retries get `http.request.resend_count`. */
  readonly attempt: number;
  /** How long the attempt queued for a bulkhead slot. */
  readonly bulkheadWaitMs: number;
}

/**
 * The module's one tracing seam. With `@opentelemetry/api` installed, `SfsOtelTracer` makes
 * spans through the global tracer provider (none registered: the API's no-op spans); without it,
 * `SFS_NOOP_TRACER` runs the work and nothing else.
 */
export interface SfsTracer {
  /** Runs `fn` inside span `sfs-auth.<operation>`, ended with the result or the error's code. */
  operation<T>(
    operation: SfsTracedOperation,
    attributes: SfsSpanAttributes,
    fn: (span: SfsOperationSpan) => Promise<T>,
    options?: SfsOperationOptions<T>,
  ): Promise<T>;
  /** Runs one HTTP attempt inside a CLIENT span (HTTP semantic conventions). */
  httpAttempt<T extends { readonly status: number }>(
    attempt: SfsHttpAttempt,
    fn: () => Promise<T>,
  ): Promise<T>;
}
