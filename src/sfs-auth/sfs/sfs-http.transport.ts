import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent, getGlobalDispatcher, type Dispatcher } from 'undici';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { sfsAssertHttps } from '../options/config-assertions';
import { sfsMetricsRecorderFor } from '../metrics/guarded-metrics.recorder';
import { SfsMetricsRecorder, type SfsCallObservation } from '../options/metrics-recorder';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { sfsTracer } from '../tracing/sfs-tracer';
import { backoffDelayMs, isRetryable, parseRetryAfter } from './retry-policy';
import { SfsSemaphore } from '../common/semaphore';
import {
  cleanSfsMessage,
  sfsErrorForRequestFailure,
  sfsErrorForStatus,
  type SfsFailedCall,
} from './sfs-error.mapping';

/** Port: waits `ms` milliseconds. Replaced in tests so that retries do not sleep. */
export interface SfsSleep {
  (ms: number): Promise<void>;
}
/** Injection token of the {@link SfsSleep} port (optional; defaults to {@link sfsTimerSleep}). */
export const SfsSleep = Symbol('SfsSleep');
/** The default {@link SfsSleep}: a timer. */
export const sfsTimerSleep: SfsSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Per-call options of {@link SfsHttpTransport.post}. */
export interface SfsPostOptions {
  /** Sent as `Authorization: Bearer <bearer>`. */
  readonly bearer?: string;
  /** Extra headers (e.g. the api-key mode header). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Identifiers for errors and logs. */
  readonly tenantId?: string;
  readonly clientKey?: string;
  /** The call authenticates with platform credentials: 401/403 become credentials errors. */
  readonly credentials?: boolean;
  /** Aborts the call and its retries; an {@link SfsAuthError} reason is rethrown as is. */
  readonly signal?: AbortSignal;
  /** Which SFS call this is, as reported to the metrics recorder. @default 'api' */
  readonly call?: SfsCallObservation['call'];
  /**
   * A 2xx answer that arrives after the attempt timed out (within `lateAnswerGraceMs`): SFS did
   * what was asked, though the caller already had its timeout.
   */
  readonly onLateAnswer?: (response: SfsHttpResponse) => void;
}

/** A 2xx answer: its status and its JSON body (`undefined` when empty or not JSON). */
export interface SfsHttpResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The HTTP connection pool for SFS: the host's `dispatcher`, else one trusting `caPem` on top of
 * the system roots, else the default (system roots only). Used by the transport and by `doctor`,
 * so both trust exactly the same certificates.
 */
export function sfsDispatcherFor(
  options: Pick<SfsAuthResolvedOptions, 'dispatcher' | 'caPem'>,
): Dispatcher | undefined {
  if (options.dispatcher) return options.dispatcher;
  if (!options.caPem) return undefined;
  // One secure context for every connection: built per connection from `ca`, the ~140 root
  // certificates would be parsed again on each new socket (tens of ms of CPU each, which a
  // burst of parallel calls pays on the event loop).
  return new Agent({
    connect: { secureContext: createSecureContext({ ca: [...rootCertificates, options.caPem] }) },
  });
}

/**
 * The one place that talks HTTP to SFS: undici over HTTPS only, a per-request timeout,
 * status → typed error mapping, and retries of transient failures (5xx, 408, 429, timeouts,
 * resets) with capped exponential backoff and full jitter, honouring `Retry-After`. A `Retry-After`
 * longer than `retry.maxDelayMs` ends the call with the retryable error carrying `retryAfterMs`,
 * for a worker to schedule. Logs method, path, status, attempt and duration; never bodies or tokens.
 * Every attempt is also reported to the {@link SfsMetricsRecorder} (kind, status or 0, duration).
 * Every attempt passes the instance's bulkhead (`sfs.maxConcurrentCalls` in flight at most).
 * Every attempt is an HTTP client span (see `tracing/sfs-tracer.ts`), so retries are siblings.
 *
 * @internal
 */
@Injectable()
export class SfsHttpTransport {
  private readonly logger = new Logger(SfsHttpTransport.name);
  private readonly dispatcher?: Dispatcher;
  private readonly sleep: SfsSleep;
  private readonly metrics: SfsMetricsRecorder;
  private readonly tracer = sfsTracer();
  /** At most `sfs.maxConcurrentCalls` requests in flight from this instance. */
  readonly bulkhead: SfsSemaphore;

  constructor(
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<
      SfsAuthResolvedOptions,
      | 'baseUrl'
      | 'caPem'
      | 'dispatcher'
      | 'lateAnswerGraceMs'
      | 'metrics'
      | 'requestTimeoutMs'
      | 'retry'
      | 'sfs'
    >,
    @Optional() @Inject(SfsSleep) sleep?: SfsSleep,
    @Optional() @Inject(SfsMetricsRecorder) metrics?: SfsMetricsRecorder,
  ) {
    this.sleep = sleep ?? sfsTimerSleep;
    this.bulkhead = new SfsSemaphore(options.sfs.maxConcurrentCalls);
    this.metrics = metrics ?? sfsMetricsRecorderFor(options);
    this.dispatcher = sfsDispatcherFor(options);
  }

  /** POSTs `body` as JSON to `baseUrl + path`; resolves with any 2xx, throws typed errors. */
  async post(path: string, body: unknown, options: SfsPostOptions = {}): Promise<SfsHttpResponse> {
    const url = this.urlFor(path);
    const call: SfsFailedCall = {
      method: 'POST',
      path,
      tenantId: options.tenantId,
      clientKey: options.clientKey,
      credentials: options.credentials,
    };
    const { maxAttempts } = this.options.retry;
    const kind = options.call ?? 'api';
    for (let attempt = 1; ; attempt++) {
      // A monotonic timer, not the injected clock: tests hold that clock still. Restarted once
      // the bulkhead lets the attempt through, so queueing is not counted as SFS latency.
      let started = performance.now();
      const queued = started;
      const where = `${call.method} ${path}${options.tenantId === undefined ? '' : ` (tenant ${options.tenantId})`}`;
      try {
        // Each attempt takes a slot; the backoff between attempts holds none.
        const response = await this.bulkhead.run(() => {
          started = performance.now();
          const bulkheadWaitMs = started - queued;
          return this.tracer.httpAttempt(
            { method: call.method, url, call: kind, attempt, bulkheadWaitMs },
            () => this.once(url, body, options, call),
          );
        });
        const ms = this.observe(kind, response.status, started);
        this.logger.debug(
          `${where} → ${response.status} in ${ms} ms (attempt ${attempt}/${maxAttempts})`,
        );
        return response;
      } catch (error) {
        const status = error instanceof SfsAuthError ? (error.status ?? 0) : 0;
        const ms = this.observe(kind, status, started);
        const delay = this.retryDelay(error, attempt, options.signal);
        const what = error instanceof SfsAuthError ? (error.status ?? error.code) : 'error';
        this.logger.warn(
          `${where} → ${what} in ${ms} ms (attempt ${attempt}/${maxAttempts}); ` +
            (delay === undefined ? 'giving up' : `retrying in ${delay} ms`),
        );
        if (delay === undefined) throw error;
        await this.sleep(delay);
      }
    }
  }

  /** Reports one attempt to the recorder; returns its rounded duration for the log line. */
  private observe(call: SfsCallObservation['call'], status: number, started: number): number {
    const durationMs = performance.now() - started;
    this.metrics.observeSfsCall({ call, status, durationMs });
    return Math.round(durationMs);
  }

  private urlFor(path: string): URL {
    const url = new URL(`${this.options.baseUrl}${path}`);
    sfsAssertHttps(url, path);
    return url;
  }

  private retryDelay(error: unknown, attempt: number, signal?: AbortSignal): number | undefined {
    const { maxAttempts, maxDelayMs } = this.options.retry;
    if (!isRetryable(error) || attempt >= maxAttempts || signal?.aborted) return undefined;
    const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
    if (retryAfterMs === undefined) return backoffDelayMs(attempt, this.options.retry);
    return retryAfterMs > maxDelayMs ? undefined : retryAfterMs;
  }

  private async once(
    url: URL,
    body: unknown,
    options: SfsPostOptions,
    call: SfsFailedCall,
  ): Promise<SfsHttpResponse> {
    let answer: SfsRawAnswer;
    try {
      const onLateAnswer = options.onLateAnswer;
      answer = await sfsExchange(this.dispatcher, url, body, options, {
        timeoutMs: this.options.requestTimeoutMs,
        signal: options.signal,
        ...(onLateAnswer && {
          lateGraceMs: this.options.lateAnswerGraceMs,
          onLate: (late) => {
            if (late.status < 200 || late.status > 299) return;
            this.logger.warn(
              `${call.method} ${call.path}: SFS answered ${late.status} after the timeout`,
            );
            onLateAnswer({ status: late.status, body: late.body });
          },
        }),
      });
    } catch (error) {
      throw sfsErrorForRequestFailure(error, call, options.signal);
    }
    const { status, body: parsed, retryAfter } = answer;
    if (status >= 200 && status <= 299) return { status, body: parsed };
    throw sfsErrorForStatus(status, call, {
      retryAfterMs: parseRetryAfter(retryAfter, Date.now()),
      sfsMessage: cleanSfsMessage(parsed, [body, options.headers, options.bearer]),
    });
  }
}

/** An HTTP answer as it came: status, `Retry-After`, JSON body (`undefined` when empty or not JSON). */
export interface SfsRawAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: unknown;
}

/**
 * One POST of `body` as JSON, through `dispatcher` (else undici's global one), read to the end,
 * with `auth` as `Authorization: Bearer` and/or extra headers, within `timeoutMs` (a
 * `TimeoutError`) unless the caller's `signal` aborts first (its reason). Throws what undici
 * throws (refused, reset, TLS, those reasons); any status is an answer. Shared by the transport
 * and `doctor`, so both send exactly the same requests.
 * - undici's `request`, not `fetch`: the same connection pool for a third of the CPU per call (no
 *   WHATWG streams and objects); it follows no redirects, and the abort covers reading the body.
 * - The timer is cleared and the caller's signal let go when the call ends: `AbortSignal.timeout`
 *   keeps its timer running for the whole timeout after the call, and `AbortSignal.any` registers
 *   each call with a long-lived caller signal.
 */
export async function sfsExchange(
  dispatcher: Dispatcher | undefined,
  url: URL,
  body: unknown,
  auth: Pick<SfsPostOptions, 'bearer' | 'headers'>,
  limits: {
    readonly timeoutMs: number;
    readonly signal?: AbortSignal;
    /**
     * Keep reading this long past the timeout, and hand an answer that arrives then to `onLate`
     * (the caller has had its `TimeoutError`): SFS may have acted on a request it answered late.
     */
    readonly lateGraceMs?: number;
    readonly onLate?: (answer: SfsRawAnswer) => void;
  },
): Promise<SfsRawAnswer> {
  const caller = limits.signal;
  caller?.throwIfAborted();
  const timedOut = () => new DOMException('The operation timed out', 'TimeoutError');
  const grace = limits.onLate ? Math.max(0, limits.lateGraceMs ?? 0) : 0;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(timedOut()), limits.timeoutMs + grace);
  const relay = () => abort.abort(caller?.reason);
  caller?.addEventListener('abort', relay, { once: true });
  const settle = () => {
    clearTimeout(timer);
    caller?.removeEventListener('abort', relay);
  };
  const request = post(dispatcher ?? getGlobalDispatcher(), url, body, auth, abort.signal);
  if (grace === 0) {
    try {
      return await request;
    } finally {
      settle();
    }
  }
  let late = false;
  let deadline: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    deadline = setTimeout(() => {
      late = true;
      reject(timedOut());
    }, limits.timeoutMs);
  });
  void request.then(
    (answer) => {
      settle();
      if (late) limits.onLate?.(answer);
    },
    () => settle(),
  );
  try {
    return await Promise.race([request, gaveUp]);
  } finally {
    clearTimeout(deadline);
  }
}

async function post(
  dispatcher: Dispatcher,
  url: URL,
  body: unknown,
  auth: Pick<SfsPostOptions, 'bearer' | 'headers'>,
  signal: AbortSignal,
): Promise<SfsRawAnswer> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    ...auth.headers,
  };
  if (auth.bearer !== undefined) headers.Authorization = `Bearer ${auth.bearer}`;
  const response = await dispatcher.request({
    origin: url.origin,
    path: url.pathname + url.search,
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal,
  });
  const retryAfter = response.headers['retry-after'];
  return {
    status: response.statusCode,
    retryAfter: (Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) ?? null,
    body: parseJson(await response.body.text()),
  };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
