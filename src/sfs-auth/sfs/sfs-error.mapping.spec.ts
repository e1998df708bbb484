import { SfsApiError } from '../errors/sfs-auth.error';
import {
  cleanSfsMessage,
  sanitizedCause,
  sfsErrorForRequestFailure,
  sfsErrorForStatus,
} from './sfs-error.mapping';

const call = { method: 'POST', path: '/api/token', tenantId: 't1' };

describe('sfsErrorForStatus', () => {
  it.each<[number, boolean, string, boolean]>([
    // status, credentials call, code, retryable
    [401, true, 'SFS_CREDENTIALS_REJECTED', false],
    [403, true, 'SFS_CREDENTIALS_REJECTED', false],
    [401, false, 'SFS_TOKEN_REJECTED', false],
    [403, false, 'SFS_REQUEST_REJECTED', false],
    [400, true, 'SFS_REQUEST_REJECTED', false],
    [400, false, 'SFS_REQUEST_REJECTED', false],
    [404, false, 'SFS_REQUEST_REJECTED', false],
    [409, false, 'SFS_REQUEST_REJECTED', false],
    [422, false, 'SFS_REQUEST_REJECTED', false],
    [302, false, 'SFS_REQUEST_REJECTED', false],
    [300, false, 'SFS_REQUEST_REJECTED', false],
    [299, false, 'SFS_BAD_RESPONSE', false],
    [499, false, 'SFS_REQUEST_REJECTED', false],
    [499, true, 'SFS_REQUEST_REJECTED', false],
    [402, true, 'SFS_REQUEST_REJECTED', false],
    [408, true, 'SFS_TIMEOUT', true],
    [408, false, 'SFS_TIMEOUT', true],
    [429, false, 'SFS_RATE_LIMITED', true],
    [429, true, 'SFS_RATE_LIMITED', true],
    [500, false, 'SFS_UNAVAILABLE', true],
    [502, true, 'SFS_UNAVAILABLE', true],
    [503, false, 'SFS_UNAVAILABLE', true],
    [504, false, 'SFS_UNAVAILABLE', true],
    [599, false, 'SFS_UNAVAILABLE', true],
    [101, false, 'SFS_BAD_RESPONSE', false],
    [600, false, 'SFS_BAD_RESPONSE', false],
  ])('%d (credentials call: %p) → %s, retryable %p', (status, credentials, code, retryable) => {
    const error = sfsErrorForStatus(status, { ...call, credentials });
    expect(error).toBeInstanceOf(SfsApiError);
    expect(error).toMatchObject({ code, retryable, status, tenantId: 't1' });
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain('POST /api/token (tenant t1)');
  });

  it('words the message after the status, and names the tenant only when there is one', () => {
    const expected: Array<[number, string]> = [
      [401, 'SFS rejected the token on GET /api/contract (HTTP 401)'],
      [403, 'SFS rejected the request on GET /api/contract (HTTP 403)'],
      [408, 'SFS timed out the call on GET /api/contract (HTTP 408)'],
      [429, 'SFS rate-limited the call on GET /api/contract (HTTP 429)'],
      [503, 'SFS is unavailable on GET /api/contract (HTTP 503)'],
      [600, 'SFS answered with an unexpected status on GET /api/contract (HTTP 600)'],
    ];
    for (const [status, message] of expected) {
      const error = sfsErrorForStatus(status, { method: 'GET', path: '/api/contract' });
      expect(error.message).toBe(message);
      expect(error.tenantId).toBeUndefined();
    }
    expect(sfsErrorForStatus(401, { ...call, credentials: true }).message).toBe(
      'SFS rejected the credentials on POST /api/token (tenant t1) (HTTP 401)',
    );
    expect(sfsErrorForStatus(500, call, { sfsMessage: '' }).message).toMatch(/\(HTTP 500\)$/);
  });

  it('carries the client key and no Retry-After unless given', () => {
    const error = sfsErrorForStatus(503, { ...call, clientKey: 'client-1' });
    expect(error).toMatchObject({ clientKey: 'client-1', retryAfterMs: undefined });
  });

  it('carries Retry-After and the SFS message', () => {
    const error = sfsErrorForStatus(429, call, { retryAfterMs: 1000, sfsMessage: 'slow down' });
    expect(error.retryAfterMs).toBe(1000);
    expect(error.message).toMatch(/: slow down$/);
  });
});

describe('sfsErrorForRequestFailure', () => {
  it('maps our own timeout to a retryable SFS_TIMEOUT', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const error = sfsErrorForRequestFailure(timeout, { ...call, clientKey: 'c1' });
    expect(error).toBeInstanceOf(SfsApiError);
    expect(error).toMatchObject({
      code: 'SFS_TIMEOUT',
      retryable: true,
      tenantId: 't1',
      clientKey: 'c1',
      message: 'SFS did not answer POST /api/token (tenant t1) in time',
    });
    expect(error.cause).toBeUndefined();
  });

  it('maps a failure that is not even an object to SFS_NETWORK', () => {
    expect(sfsErrorForRequestFailure(null, call)).toMatchObject({
      code: 'SFS_NETWORK',
      retryable: true,
      message: 'SFS could not be reached for POST /api/token (tenant t1)',
    });
    const live = new AbortController();
    expect(sfsErrorForRequestFailure(new Error('x'), call, live.signal).code).toBe('SFS_NETWORK');
  });

  it('maps resets and refusals to a retryable SFS_NETWORK with a bare cause', () => {
    const socket = Object.assign(new Error('other side closed'), {
      code: 'UND_ERR_SOCKET',
      socket: { remoteAddress: '127.0.0.1' },
      options: { headers: { authorization: 'Bearer secret-token' } },
    });
    // undici's `request` throws the socket error itself; `fetch` wraps it in a TypeError.
    for (const thrown of [socket, new TypeError('fetch failed', { cause: socket })]) {
      const error = sfsErrorForRequestFailure(thrown, call);
      expect(error).toMatchObject({ code: 'SFS_NETWORK', retryable: true });
      const cause = error.cause as Error;
      expect(cause.message).toBe('Error (UND_ERR_SOCKET): other side closed');
      expect(Object.keys(cause)).toEqual([]);
      expect(JSON.stringify(error) + String(cause.stack)).not.toContain('secret-token');
    }
  });

  it("returns the caller's SfsAuthError when the caller aborted with one", () => {
    const reason = new SfsApiError('SHUTTING_DOWN', 'stop', false);
    const abort = new AbortController();
    abort.abort(reason);
    expect(sfsErrorForRequestFailure(new Error('aborted'), call, abort.signal)).toBe(reason);
  });

  it('maps any other caller abort to a permanent SFS_TIMEOUT', () => {
    const abort = new AbortController();
    abort.abort();
    expect(sfsErrorForRequestFailure(abort.signal.reason, call, abort.signal)).toMatchObject({
      code: 'SFS_TIMEOUT',
      retryable: false,
      tenantId: 't1',
      message: 'POST /api/token (tenant t1) was aborted by the caller',
    });
  });
});

describe('sanitizedCause', () => {
  it('survives values that are not errors', () => {
    expect(sanitizedCause(undefined).message).toBe('Error: unknown');
    expect(sanitizedCause(null).message).toBe('Error: unknown');
    expect(sanitizedCause('text').message).toBe('Error: unknown');
    expect(sanitizedCause({ name: 7, code: 7, message: 7 }).message).toBe('Error: unknown');
  });

  it('keeps the innermost cause, name, code and the first 200 characters of its message', () => {
    const inner = Object.assign(new RangeError('m'.repeat(300)), { code: 'E_INNER' });
    const error = new Error('outer', { cause: new Error('middle', { cause: inner }) });
    expect(sanitizedCause(error).message).toBe(`RangeError (E_INNER): ${'m'.repeat(200)}`);
    expect(sanitizedCause(new Error('alone', { cause: null })).message).toBe('Error: alone');
  });

  it('ends on a cyclic cause chain, at most five causes deep', () => {
    const a: { name: string; message: string; cause?: unknown } = { name: 'A', message: 'a' };
    const b = { name: 'B', message: 'b', cause: a };
    a.cause = b;
    // a → b → a → b → a → b: five steps from a end on b.
    expect(sanitizedCause(a).message).toBe('B: b');
    expect(sanitizedCause(b).message).toBe('A: a');
    const chain = (depth: number): unknown =>
      depth === 0
        ? { name: 'Deep', message: 'bottom' }
        : { name: `L${depth}`, message: 'x', cause: chain(depth - 1) };
    expect(sanitizedCause(chain(5)).message).toBe('Deep: bottom');
    expect(sanitizedCause(chain(6)).message).toBe('L1: x');
  });
});

describe('cleanSfsMessage', () => {
  const sent = [
    { data: { apiKey: 'key-123', secret: 'hunter22', n: 5, deep: [{ v: 'a-deep-value' }] } },
    { 'X-H': 'hdr-val' },
    'tok9',
    'abc',
    null,
  ];

  it.each<[unknown, string | undefined]>([
    [{ code: '400', message: 'Bad parameters' }, 'Bad parameters'],
    [{ message: 'secret hunter22 for key-123' }, 'secret [redacted] for [redacted]'],
    [{ message: 'header hdr-val, token tok9' }, 'header [redacted], token [redacted]'],
    [{ message: 'token eyJhbGciOiJIUzI1NiJ9.abcdefghij is bad' }, 'token [redacted] is bad'],
    [{ message: 42 }, undefined],
    [{ message: 'echo abc of a short value' }, 'echo abc of a short value'],
    [{ message: `${'A'.repeat(23)} ${'B'.repeat(24)}` }, `${'A'.repeat(23)} [redacted]`],
    [{ message: 'nested a-deep-value' }, 'nested [redacted]'],
    ['plain text', undefined],
    [undefined, undefined],
  ])('%j → %j', (body, expected) => {
    expect(cleanSfsMessage(body, sent)).toBe(expected);
  });
});
