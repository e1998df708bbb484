import * as otel from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemoryTraces, parentIdOf } from '../../../test/support/otel-traces';
import { SfsApiError } from '../errors/sfs-auth.error';
import { loadOptionalPeer } from '../common/optional-peer';
import type { OtelContext, OtelTraceApi } from './otel-trace-api';
import { createSfsTracer, SFS_NOOP_TRACER, type SfsHttpAttempt } from './sfs-tracer';

const attempt = (over: Partial<SfsHttpAttempt> = {}): SfsHttpAttempt => ({
  method: 'POST',
  url: new URL('https://api.sendforsign.com/api/token'),
  call: 'client_token',
  attempt: 1,
  bulkheadWaitMs: 0,
  ...over,
});

describe('the tracer without @opentelemetry/api', () => {
  const absent = () =>
    createSfsTracer(
      loadOptionalPeer<OtelTraceApi>('@opentelemetry/api', () => {
        throw Object.assign(new Error("Cannot find module '@opentelemetry/api'"), {
          code: 'MODULE_NOT_FOUND',
        });
      }),
    );

  it('is the no-op one: runs the work, hands back its result and its error', async () => {
    const tracer = absent();
    expect(tracer).toBe(SFS_NOOP_TRACER);
    await expect(
      tracer.operation('mint', {}, async (span) => {
        span.addWait('lease', 5);
        span.rename('refresh');
        span.set({ a: 1 });
        return 42;
      }),
    ).resolves.toBe(42);
    const failure = new Error('boom');
    await expect(tracer.operation('revoke', {}, () => Promise.reject(failure))).rejects.toBe(
      failure,
    );
    await expect(tracer.httpAttempt(attempt(), async () => ({ status: 201 }))).resolves.toEqual({
      status: 201,
    });
  });
});

describe('the tracer on @opentelemetry/api with the SDK registered', () => {
  let sdk: InMemoryTraces;
  const tracer = createSfsTracer(otel);
  beforeEach(() => {
    sdk = new InMemoryTraces().register();
  });
  afterEach(() => sdk.shutdown());

  it('names HTTP attempts by method, as CLIENT spans, with no user info, query or fragment in the URL', async () => {
    await tracer.httpAttempt(
      attempt({
        url: new URL('https://user:pass@[::1]:8443/api/token?secret=s3cr3t#frag'),
        attempt: 3,
        bulkheadWaitMs: 12.345,
      }),
      async () => ({ status: 201 }),
    );
    const [span] = sdk.spans();
    expect(span.name).toBe('POST');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': '::1',
      'server.port': 8443,
      'url.full': 'https://[::1]:8443/api/token',
      'http.request.resend_count': 2,
      'http.response.status_code': 201,
      'sfs.call': 'client_token',
      'sfs_auth.bulkhead.wait_ms': 12.3,
    });
  });

  it('marks a failed attempt with the status it got, or the error code when there was no answer', async () => {
    const rejected = new SfsApiError('SFS_UNAVAILABLE', 'SFS is unavailable', true, {
      status: 503,
    });
    const timeout = new SfsApiError('SFS_TIMEOUT', 'SFS timed out the call', true);
    for (const error of [rejected, timeout, new TypeError('bad')]) {
      await expect(tracer.httpAttempt(attempt(), () => Promise.reject(error))).rejects.toBe(error);
    }
    expect(
      sdk
        .spans()
        .map((s) => [s.attributes['http.response.status_code'], s.attributes['error.type']]),
    ).toEqual([
      [503, '503'],
      [undefined, 'SFS_TIMEOUT'],
      [undefined, 'TypeError'],
    ]);
    expect(sdk.spans().every((s) => s.status.code === SpanStatusCode.ERROR)).toBe(true);
  });

  it('nests attempts and inner operations, joins on request, and adds waits to every enclosing operation', async () => {
    await tracer.operation('mint', { 'sfs_auth.tenant_id': 't1', unset: undefined }, async () => {
      await tracer.operation('platform-token', {}, () =>
        tracer.httpAttempt(attempt({ bulkheadWaitMs: 4 }), async () => ({ status: 201 })),
      );
      await tracer.operation(
        'mint',
        { 'sfs_auth.client_key': 'c1' },
        async (joined) => {
          joined.rename('refresh');
          joined.addWait('lease', 30);
          return tracer.httpAttempt(attempt({ bulkheadWaitMs: 6 }), async () => ({
            status: 201,
          }));
        },
        { join: true },
      );
      return { kind: 'minted' };
    });
    const spans = sdk.spans();
    expect(spans.map((s) => s.name)).toEqual([
      'POST',
      'sfs-auth.platform-token',
      'POST',
      'sfs-auth.refresh',
    ]);
    const [platformCall, platform, clientCall, operation] = spans;
    const id = (s: (typeof spans)[number]) => s.spanContext().spanId;
    expect(parentIdOf(platformCall)).toBe(id(platform));
    expect(parentIdOf(platform)).toBe(id(operation));
    expect(parentIdOf(clientCall)).toBe(id(operation));
    expect(parentIdOf(operation)).toBeUndefined();
    expect(platform.attributes['sfs_auth.bulkhead.wait_ms']).toBe(4);
    expect(operation.attributes).toEqual({
      'sfs_auth.tenant_id': 't1',
      'sfs_auth.outcome': 'minted',
      'sfs_auth.bulkhead.wait_ms': 10,
      'sfs_auth.lease.wait_ms': 30,
    });
    expect(operation.kind).toBe(SpanKind.INTERNAL);
  });

  it("ends an operation with the report's outcome and code, or with the error's code", async () => {
    await tracer.operation('refresh', {}, async () => ({
      outcome: 'failed',
      code: 'SFS_TIMEOUT',
      permanent: false,
    }));
    await tracer.operation('refresh', {}, async () => ({ outcome: 'refreshed', newTokenId: 'n1' }));
    const error = new SfsApiError('SFS_CREDENTIALS_REJECTED', 'rejected', false);
    await expect(tracer.operation('platform-token', {}, () => Promise.reject(error))).rejects.toBe(
      error,
    );
    await tracer.operation('revoke', {}, async () => undefined, {
      describe: () => ({ outcome: 'revoked', attributes: { extra: 'x' } }),
    });
    expect(
      sdk
        .spans()
        .map((s) => [
          s.attributes['sfs_auth.outcome'],
          s.attributes['error.type'],
          s.attributes['sfs_auth.new_token_id'] ?? s.attributes.extra,
          s.status.code,
        ]),
    ).toEqual([
      ['failed', 'SFS_TIMEOUT', undefined, SpanStatusCode.ERROR],
      ['refreshed', undefined, 'n1', SpanStatusCode.UNSET],
      ['failed', 'SFS_CREDENTIALS_REJECTED', undefined, SpanStatusCode.ERROR],
      ['revoked', undefined, 'x', SpanStatusCode.UNSET],
    ]);
  });
});

describe('the tracer on @opentelemetry/api with spans that do not record', () => {
  // What the API hands out with no provider registered, or when the sampler drops the span.
  const calls: string[] = [];
  const span = {
    setAttributes: () => calls.push('setAttributes'),
    setStatus: () => calls.push('setStatus'),
    updateName: () => calls.push('updateName'),
    isRecording: () => false,
    end: () => calls.push('end'),
  };
  const contextOf = (values: Map<symbol, unknown>): OtelContext => ({
    getValue: (key) => values.get(key),
    setValue: (key, value) => contextOf(new Map(values).set(key, value)),
    deleteValue: (key) => contextOf(new Map([...values].filter(([k]) => k !== key))),
  });
  const api: OtelTraceApi = {
    trace: { getTracer: () => ({ startSpan: () => span }), setSpan: (context) => context },
    context: { active: () => contextOf(new Map()), with: (_context, fn) => fn() },
    createContextKey: (description) => Symbol(description),
    SpanKind: { INTERNAL: 0, CLIENT: 2 },
    SpanStatusCode: { ERROR: 2 },
  };
  beforeEach(() => calls.splice(0));

  it('ends them without building attributes or a description', async () => {
    const tracer = createSfsTracer(api);
    const describe = jest.fn(() => ({ outcome: 'revoked' }));
    await tracer.operation('revoke', {}, async (s) => s.set({ a: 1 }), { describe });
    await expect(
      tracer.operation('refresh', {}, () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    await tracer.httpAttempt(attempt(), async () => ({ status: 201 }));
    await expect(
      tracer.httpAttempt(attempt(), () =>
        Promise.reject(new SfsApiError('SFS_UNAVAILABLE', 'down', true, { status: 503 })),
      ),
    ).rejects.toThrow('down');
    expect(describe).not.toHaveBeenCalled();
    expect(calls).toEqual(['end', 'end', 'end', 'end']);
  });
});
