import { SfsApiError, SfsAuthError } from '../errors/sfs-auth.error';
import { parseErrorMessage } from './sfs-wire';

/** What the mapping needs to know about the call that failed; identifiers only, never secrets. */
export interface SfsFailedCall {
  readonly method: string;
  readonly path: string;
  readonly tenantId?: string;
  readonly clientKey?: string;
  /** The call authenticated with platform credentials (credentials body or api-key header). */
  readonly credentials?: boolean;
}

/** What SFS answered, beyond the status. */
export interface SfsFailedAnswer {
  /** Parsed `Retry-After`, in ms. */
  readonly retryAfterMs?: number;
  /** SFS's `message`, already cleaned of anything the request carried. */
  readonly sfsMessage?: string;
}

function where(call: SfsFailedCall): string {
  return `${call.method} ${call.path}${call.tenantId === undefined ? '' : ` (tenant ${call.tenantId})`}`;
}

/**
 * Turns a non-2xx SFS status into a typed error. 401/403 on a credentials call are permanent
 * credentials errors; elsewhere 401 means the Bearer token was rejected (callers decide whether to
 * re-mint) and 403 is a permanent rejection. 408, 429 and 5xx are retryable; redirects are never
 * followed (they could carry credentials elsewhere) and count as permanent rejections.
 */
export function sfsErrorForStatus(
  status: number,
  call: SfsFailedCall,
  answer: SfsFailedAnswer = {},
): SfsApiError {
  const context = {
    tenantId: call.tenantId,
    clientKey: call.clientKey,
    status,
    retryAfterMs: answer.retryAfterMs,
  };
  const said = answer.sfsMessage ? `: ${answer.sfsMessage}` : '';
  const text = (what: string) => `SFS ${what} on ${where(call)} (HTTP ${status})${said}`;
  if ((status === 401 || status === 403) && call.credentials) {
    return new SfsApiError(
      'SFS_CREDENTIALS_REJECTED',
      text('rejected the credentials'),
      false,
      context,
    );
  }
  if (status === 401) {
    return new SfsApiError('SFS_TOKEN_REJECTED', text('rejected the token'), false, context);
  }
  if (status === 429) {
    return new SfsApiError('SFS_RATE_LIMITED', text('rate-limited the call'), true, context);
  }
  if (status === 408) {
    return new SfsApiError('SFS_TIMEOUT', text('timed out the call'), true, context);
  }
  if (status >= 500 && status <= 599) {
    return new SfsApiError('SFS_UNAVAILABLE', text('is unavailable'), true, context);
  }
  if (status >= 300 && status <= 499) {
    return new SfsApiError('SFS_REQUEST_REJECTED', text('rejected the request'), false, context);
  }
  return new SfsApiError(
    'SFS_BAD_RESPONSE',
    text('answered with an unexpected status'),
    false,
    context,
  );
}

function innermost(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const next = (current as { cause?: unknown } | null)?.cause;
    if (next === undefined || next === null) break;
    current = next;
  }
  return current;
}

/**
 * A cause that keeps the low-level diagnosis (error name, code, message) but none of the objects
 * attached to it, which can hold request options.
 */
export function sanitizedCause(error: unknown): Error {
  const inner = innermost(error) as { name?: unknown; code?: unknown; message?: unknown } | null;
  const name = typeof inner?.name === 'string' ? inner.name : 'Error';
  const code = typeof inner?.code === 'string' ? ` (${inner.code})` : '';
  const message = typeof inner?.message === 'string' ? inner.message.slice(0, 200) : 'unknown';
  return new Error(`${name}${code}: ${message}`);
}

/**
 * Turns a failure of the request itself (no HTTP status) into a typed error: our own timeout becomes a
 * retryable `SFS_TIMEOUT`; everything else (refused, reset, TLS, DNS) a retryable `SFS_NETWORK`.
 * When the caller aborted with an {@link SfsAuthError} as the reason, that error is returned.
 */
export function sfsErrorForRequestFailure(
  error: unknown,
  call: SfsFailedCall,
  callerSignal?: AbortSignal,
): SfsAuthError {
  const context = { tenantId: call.tenantId, clientKey: call.clientKey };
  if (callerSignal?.aborted) {
    const reason: unknown = callerSignal.reason;
    if (reason instanceof SfsAuthError) return reason;
    return new SfsApiError(
      'SFS_TIMEOUT',
      `${where(call)} was aborted by the caller`,
      false,
      context,
    );
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') {
    return new SfsApiError(
      'SFS_TIMEOUT',
      `SFS did not answer ${where(call)} in time`,
      true,
      context,
    );
  }
  return new SfsApiError('SFS_NETWORK', `SFS could not be reached for ${where(call)}`, true, {
    ...context,
    cause: sanitizedCause(error),
  });
}

function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (typeof value === 'object' && value !== null)
    Object.values(value).forEach((v) => stringsOf(v, into));
  return into;
}

/**
 * SFS's error `message`, safe to put in an error: every string we `sent` (body values, header
 * values, the bearer token) that SFS echoes back is redacted, and so is anything that looks like a
 * token (24+ characters of token alphabet), which also catches echoes cut short by truncation.
 */
export function cleanSfsMessage(body: unknown, sent: unknown): string | undefined {
  const values = stringsOf(sent).filter((value) => value.length >= 4);
  // On the whole message as SFS sent it: an echo cut at 200 characters, or holding characters
  // that are shown as `?`, would no longer match what we sent.
  const message = parseErrorMessage(body, (text) =>
    values.reduce((redacted, value) => redacted.split(value).join('[redacted]'), text),
  );
  return message?.replace(/[A-Za-z0-9._~+/=-]{24,}/g, '[redacted]');
}
