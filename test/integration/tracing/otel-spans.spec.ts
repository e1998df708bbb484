import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SfsHttpTransport } from '../../../src/sfs-auth/sfs/sfs-http.transport';
import { allAttributeText, InMemoryTraces, parentIdOf } from '../../support/otel-traces';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

/**
 * A host that registers the OpenTelemetry SDK and nothing else sees the module's spans: one per
 * mint, refresh, revocation and platform-token call, with one HTTP client span per SFS attempt.
 */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('traces through OpenTelemetry', () => {
  const sdk = new InMemoryTraces();
  const f = new TokenFixture();
  let a: TestInstance;

  beforeAll(async () => {
    sdk.register();
    await f.start('otel_spans');
    a = await f.addInstance();
  });
  afterAll(async () => {
    await f.stop();
    await sdk.shutdown();
  });

  /** Revokes a tenant's tokens at SFS, so that later refresh passes find only the next test's. */
  const retire = async (tenantId: string) => {
    await a.tokens.revoke({ tenantId }, 'test done');
    await a.revocation.runOnce();
  };
  const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
  const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) =>
    spans.filter((s) => parentIdOf(s) === parent.spanContext().spanId);

  it('a first mint: sfs-auth.mint over the platform-token span and one HTTP span per SFS call', async () => {
    const mark = sdk.spans().length;
    const token = await a.tokens.getClientToken({
      tenantId: 'acme',
      clientKey: 'c-trace',
      subjectId: 'alice',
    });
    const spans = sdk.since(mark);
    const [mint] = named(spans, 'sfs-auth.mint');
    expect(mint).toBeDefined();
    expect(parentIdOf(mint)).toBeUndefined();
    expect(mint.kind).toBe(SpanKind.INTERNAL);
    expect(mint.attributes).toMatchObject({
      'sfs_auth.tenant_id': 'acme',
      'sfs_auth.client_key': 'c-trace',
      'sfs_auth.outcome': 'minted',
      'sfs_auth.new_token_id': token.tokenId,
      'sfs_auth.lease.wait_ms': 0,
    });
    expect(mint.attributes['sfs_auth.bulkhead.wait_ms']).toEqual(expect.any(Number));
    const [platform] = named(spans, 'sfs-auth.platform-token');
    expect(parentIdOf(platform)).toBe(mint.spanContext().spanId);
    expect(platform.attributes).toMatchObject({
      'sfs_auth.platform_token.action': 'create',
      'sfs_auth.tenant_id': 'acme',
      'sfs_auth.outcome': 'created',
    });
    const [platformCall] = childrenOf(spans, platform);
    const [clientCall] = childrenOf(spans, mint).filter((s) => s.name === 'POST');
    for (const [call, kind] of [
      [platformCall, 'platform_token'],
      [clientCall, 'client_token'],
    ] as const) {
      expect(call.kind).toBe(SpanKind.CLIENT);
      expect(call.attributes).toMatchObject({
        'http.request.method': 'POST',
        'server.address': '127.0.0.1',
        'server.port': f.sandbox.port,
        'url.full': `${f.sandbox.url}/api/token`,
        'http.response.status_code': 201,
        'sfs.call': kind,
      });
      expect(call.attributes['http.request.resend_count']).toBeUndefined();
      expect(call.status.code).toBe(SpanStatusCode.UNSET);
    }
    expect(spans).toHaveLength(4);
    await retire('acme');
  });

  it('a refresh worker pass: sfs-auth.refresh per token, its SFS attempts as sibling children, one retried', async () => {
    const key = { tenantId: 'retry', clientKey: 'c-retry', subjectId: 'carol' };
    const token = await a.tokens.getClientToken(key);
    f.clock.advance(1_600_000); // due (the only token that is); the platform token is still good
    f.sandbox.enqueueFaults({ kind: 'client.create', status: 503 });
    const mark = sdk.spans().length;
    const report = await a.refresh.runOnce();
    const refreshed = report.outcomes.find((o) => o.tokenId === token.tokenId);
    expect(refreshed).toMatchObject({ outcome: 'refreshed' });
    const spans = sdk.since(mark);
    const refresh = named(spans, 'sfs-auth.refresh').find(
      (s) => s.attributes['sfs_auth.token_id'] === token.tokenId,
    );
    expect(refresh).toBeDefined();
    expect(parentIdOf(refresh!)).toBeUndefined();
    expect(refresh!.attributes).toMatchObject({
      'sfs_auth.tenant_id': 'retry',
      'sfs_auth.client_key': 'c-retry',
      'sfs_auth.outcome': 'refreshed',
      'sfs_auth.new_token_id': (refreshed as { newTokenId: string }).newTokenId,
    });
    // The minter ran inside the refresh span: no separate mint span.
    expect(named(spans, 'sfs-auth.mint')).toEqual([]);
    const attempts = childrenOf(spans, refresh!);
    expect(attempts.map((s) => [s.name, s.attributes['http.response.status_code']])).toEqual([
      ['POST', 503],
      ['POST', 201],
    ]);
    const [failed, retried] = attempts;
    expect(failed.attributes['error.type']).toBe('503');
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes['http.request.resend_count']).toBeUndefined();
    expect(retried.attributes['http.request.resend_count']).toBe(1);
    expect(retried.attributes['error.type']).toBeUndefined();
    expect(attempts.every((s) => s.attributes['sfs.call'] === 'client_token')).toBe(true);
    await retire('retry');
  });

  it('a failed refresh carries the error code; a revocation is sfs-auth.revoke over its SFS call', async () => {
    const key = { tenantId: 'failing', clientKey: 'c-fail', subjectId: 'bob' };
    const token = await a.tokens.getClientToken(key);
    f.clock.advance(1_600_000);
    const unavailable = { kind: 'client.create', status: 503 } as const;
    f.sandbox.enqueueFaults(unavailable, unavailable, unavailable); // every attempt
    let mark = sdk.spans().length;
    await a.refresh.runOnce();
    const refresh = named(sdk.since(mark), 'sfs-auth.refresh').find(
      (s) => s.attributes['sfs_auth.token_id'] === token.tokenId,
    );
    expect(refresh?.attributes).toMatchObject({
      'sfs_auth.outcome': 'failed',
      'sfs_auth.error_code': 'SFS_UNAVAILABLE',
      'error.type': 'SFS_UNAVAILABLE',
    });
    expect(refresh?.status.code).toBe(SpanStatusCode.ERROR);
    // (a renewed platform token may come first, as a child span of its own)
    const attempts = childrenOf(sdk.since(mark), refresh!).filter((s) => s.name === 'POST');
    expect(attempts.map((s) => s.attributes['http.request.resend_count'])).toEqual([
      undefined,
      1,
      2,
    ]);

    await a.tokens.revoke(key, 'logout');
    mark = sdk.spans().length;
    await a.revocation.runOnce();
    const spans = sdk.since(mark);
    const revoke = named(spans, 'sfs-auth.revoke').find(
      (s) => s.attributes['sfs_auth.token_id'] === token.tokenId,
    );
    expect(revoke?.attributes).toMatchObject({
      'sfs_auth.tenant_id': 'failing',
      'sfs_auth.client_key': 'c-fail',
      'sfs_auth.outcome': 'revoked',
    });
    const calls = childrenOf(spans, revoke!);
    expect(calls.map((s) => s.attributes['sfs.call'])).toEqual(['client_revoke']);
  });

  it('reports the wait for a bulkhead slot', async () => {
    const narrow = await f.addInstance({ sfs: { maxConcurrentCalls: 1 } });
    const bulkhead = narrow.app.get(SfsHttpTransport).bulkhead;
    // A platform token first, so that both mints below make one SFS call each.
    await narrow.tokens.getClientToken({ tenantId: 'narrow', clientKey: 'c0' });
    f.sandbox.enqueueFaults({ kind: 'client.create', delayMs: 1000 });
    const mark = sdk.spans().length;
    const first = narrow.tokens.getClientToken({ tenantId: 'narrow', clientKey: 'c1' });
    await until(() => bulkhead.inFlight === 1); // the first holds the only slot for a second
    const second = narrow.tokens.getClientToken({ tenantId: 'narrow', clientKey: 'c2' });
    const [one, two] = await Promise.all([first, second]);
    const waitOf = (tokenId: string) =>
      named(sdk.since(mark), 'sfs-auth.mint').find(
        (s) => s.attributes['sfs_auth.new_token_id'] === tokenId,
      )?.attributes['sfs_auth.bulkhead.wait_ms'] as number;
    expect(waitOf(two.tokenId)).toBeGreaterThan(0);
    expect(waitOf(one.tokenId)).toBeLessThan(waitOf(two.tokenId));
    await f.closeInstance(narrow);
  });

  it("reports the wait on another instance's lease", async () => {
    const b = await f.addInstance();
    const key = { tenantId: 'leased', clientKey: 'c1' };
    await a.tokens.getClientToken({ tenantId: 'leased', clientKey: 'warm-up' }); // platform token
    await b.tokens.getClientToken({ tenantId: 'leased', clientKey: 'warm-up' });
    f.sandbox.enqueueFaults({ kind: 'client.create', delayMs: 1000 }); // the other claimant waits
    const mark = sdk.spans().length;
    const [first, second] = await Promise.all([
      a.tokens.getClientToken(key),
      b.tokens.getClientToken(key),
    ]);
    expect(second.tokenId).toBe(first.tokenId);
    const mints = named(sdk.since(mark), 'sfs-auth.mint');
    expect(mints.map((s) => s.attributes['sfs_auth.outcome']).sort()).toEqual(['found', 'minted']);
    const found = mints.find((s) => s.attributes['sfs_auth.outcome'] === 'found')!;
    expect(found.attributes['sfs_auth.lease.wait_ms']).toBeGreaterThan(0);
    expect(found.attributes['sfs_auth.token_id']).toBe(first.tokenId);
    await f.closeInstance(b);
  });

  it('no attribute of any span holds token material or a credential', () => {
    const spans = sdk.spans();
    expect(spans.length).toBeGreaterThan(10);
    const text = allAttributeText(spans);
    const calls = f.sandbox.calls({ reveal: true });
    const tokens = calls.flatMap((c) =>
      [c.issuedToken, c.usedToken, c.revokedToken].filter((t): t is string => !!t),
    );
    expect(tokens.length).toBeGreaterThan(10);
    const { apiKey, secret: apiSecret } = f.sandbox.credentials;
    for (const secret of [...new Set(tokens), apiKey, apiSecret]) {
      expect(text).not.toContain(secret);
    }
  });
});
