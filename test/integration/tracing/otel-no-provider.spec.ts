import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

/**
 * A host with `@opentelemetry/api` installed (as a dependency of something else) but no tracer
 * provider registered: every operation works as without it, and no span is made.
 */
describe('traces with the API but no tracer provider', () => {
  const exporter = new InMemorySpanExporter();
  // A provider that is never registered: the module must not reach it.
  const unregistered = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const f = new TokenFixture();
  let a: TestInstance;

  beforeAll(async () => {
    await f.start('otel_no_provider');
    a = await f.addInstance();
  });
  afterAll(async () => {
    await f.stop();
    await unregistered.shutdown();
  });

  it('mints, refreshes through a retry and revokes, with no span anywhere', async () => {
    const key = { tenantId: 'quiet', clientKey: 'c1', subjectId: 'dan' };
    const token = await a.tokens.getClientToken(key);
    f.clock.advance(1_600_000);
    f.sandbox.enqueueFaults({ kind: 'client.create', status: 503 });
    const refreshed = await a.refresh.runOnce();
    expect(refreshed.outcomes).toEqual([
      { tokenId: token.tokenId, outcome: 'refreshed', newTokenId: expect.any(String) },
    ]);
    // The new token and the replaced one, which lives on until it expires.
    expect(await a.tokens.revoke(key, 'logout')).toBe(2);
    const revoked = await a.revocation.runOnce();
    expect(revoked.outcomes.map((o) => o.outcome)).toEqual(['revoked', 'revoked']);
    expect(f.sandbox.calls().map((c) => [c.kind, c.status])).toEqual([
      ['platform.create', 201],
      ['client.create', 201],
      ['client.create', 503],
      ['client.create', 201],
      ['client.revoke', 201],
      ['client.revoke', 201],
    ]);
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
