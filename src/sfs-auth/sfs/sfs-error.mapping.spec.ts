import { SfsApiError } from '../errors/sfs-auth.error';
import {
  cleanSfsMessage,
  sanitizedCause,
  sfsErrorForFetchFailure,
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
    [408, false, 'SFS_TIMEOUT', true],
    [429, false, 'SFS_RATE_LIMITED', true],
    [429, true, 'SFS_RATE_LIMITED', true],
    [500, false, 'SFS_UNAVAILABLE', true],
    [502, true, 'SFS_UNAVAILABLE', true],
    [503, false, 'SFS_UNAVAILABLE', true],
    [504, false, 'SFS_UNAVAILABLE', true],
    [101, false, 'SFS_BAD_RESPONSE', false],
    [600, false, 'SFS_BAD_RESPONSE', false],
  ])('%d (credentials call: %p) → %s, retryable %p', (status, credentials, code, retryable) => {
    const error = sfsErrorForStatus(status, { ...call, credentials });
    expect(error).toBeInstanceOf(SfsApiError);
    expect(error).toMatchObject({ code, retryable, status, tenantId: 't1' });
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain('POST /api/token (tenant t1)');
  });

  it('carries Retry-After and the SFS message', () => {
    const error = sfsErrorForStatus(429, call, { retryAfterMs: 1000, sfsMessage: 'slow down' });
    expect(error.retryAfterMs).toBe(1000);
    expect(error.message).toMatch(/: slow down$/);
  });
});

describe('sfsErrorForFetchFailure', () => {
  it('maps our own timeout to a retryable SFS_TIMEOUT', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(sfsErrorForFetchFailure(timeout, call)).toMatchObject({
      code: 'SFS_TIMEOUT',
      retryable: true,
    });
  });

  it('maps resets and refusals to a retryable SFS_NETWORK with a bare cause', () => {
    const socket = Object.assign(new Error('other side closed'), {
      code: 'UND_ERR_SOCKET',
      socket: { remoteAddress: '127.0.0.1' },
      options: { headers: { authorization: 'Bearer secret-token' } },
    });
    const error = sfsErrorForFetchFailure(new TypeError('fetch failed', { cause: socket }), call);
    expect(error).toMatchObject({ code: 'SFS_NETWORK', retryable: true });
    const cause = error.cause as Error;
    expect(cause.message).toBe('Error (UND_ERR_SOCKET): other side closed');
    expect(Object.keys(cause)).toEqual([]);
    expect(JSON.stringify(error) + String(cause.stack)).not.toContain('secret-token');
  });

  it("returns the caller's SfsAuthError when the caller aborted with one", () => {
    const reason = new SfsApiError('SHUTTING_DOWN', 'stop', false);
    const abort = new AbortController();
    abort.abort(reason);
    expect(sfsErrorForFetchFailure(new Error('aborted'), call, abort.signal)).toBe(reason);
  });

  it('maps any other caller abort to a permanent SFS_TIMEOUT', () => {
    const abort = new AbortController();
    abort.abort();
    expect(sfsErrorForFetchFailure(abort.signal.reason, call, abort.signal)).toMatchObject({
      code: 'SFS_TIMEOUT',
      retryable: false,
    });
  });
});

describe('sanitizedCause', () => {
  it('survives values that are not errors', () => {
    expect(sanitizedCause(undefined).message).toBe('Error: unknown');
    expect(sanitizedCause('text').message).toBe('Error: unknown');
  });
});

describe('cleanSfsMessage', () => {
  const sent = [{ data: { apiKey: 'key-123', secret: 'hunter22' } }, { 'X-H': 'hdr-val' }, 'tok9'];

  it.each<[unknown, string | undefined]>([
    [{ code: '400', message: 'Bad parameters' }, 'Bad parameters'],
    [{ message: 'secret hunter22 for key-123' }, 'secret [redacted] for [redacted]'],
    [{ message: 'header hdr-val, token tok9' }, 'header [redacted], token [redacted]'],
    [{ message: 'token eyJhbGciOiJIUzI1NiJ9.abcdefghij is bad' }, 'token [redacted] is bad'],
    [{ message: 42 }, undefined],
    ['plain text', undefined],
    [undefined, undefined],
  ])('%j → %j', (body, expected) => {
    expect(cleanSfsMessage(body, sent)).toBe(expected);
  });
});
