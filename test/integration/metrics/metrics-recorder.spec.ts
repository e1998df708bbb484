import { SfsApiClient, type SfsCallObservation, type SfsMetricsRecorder } from '../../../src';
import type {
  SfsMetricOperation,
  SfsMetricOutcome,
} from '../../../src/sfs-auth/options/metrics-recorder';
import type { SfsSandboxCallKind } from '../../../src/sandbox';
import { TokenFixture, type TestInstance } from '../../support/token-fixture';

/** The port implemented by a test: remembers what the module reported. */
class RecordingMetrics implements SfsMetricsRecorder {
  operations: string[] = [];
  calls: SfsCallObservation[] = [];
  countOperation(operation: SfsMetricOperation, outcome: SfsMetricOutcome): void {
    this.operations.push(`${operation}:${outcome}`);
  }
  observeSfsCall(observation: SfsCallObservation): void {
    this.calls.push(observation);
  }
}

/** A recorder whose exporter is broken. */
const throwing: SfsMetricsRecorder = {
  countOperation: () => {
    throw new Error('exporter down');
  },
  observeSfsCall: () => {
    throw new Error('exporter down');
  },
};

const CALL_OF: Partial<Record<SfsSandboxCallKind, SfsCallObservation['call']>> = {
  'platform.create': 'platform_token',
  'platform.revoke': 'platform_revoke',
  'client.create': 'client_token',
  'client.revoke': 'client_revoke',
  'contract.list': 'api',
};

describe('metrics recorder', () => {
  const f = new TokenFixture();
  const metrics = new RecordingMetrics();
  let a: TestInstance;

  beforeAll(async () => {
    await f.start('metrics', 1800, { metrics });
    a = await f.addInstance();
  });
  afterAll(() => f.stop());
  beforeEach(() => {
    metrics.operations = [];
    metrics.calls = [];
    f.sandbox.clearCalls();
  });

  /** What the recorder saw since the test began, checked against the sandbox's own call log. */
  function observedCalls(): string[] {
    const seen = metrics.calls.map((c) => `${c.call}:${c.status}`).sort();
    const logged = f.sandbox.calls().map((c) => `${CALL_OF[c.kind]}:${c.status}`);
    expect(seen).toEqual(logged.sort());
    return seen;
  }

  it('counts a first mint, a refresh and revocations once each, and observes every SFS call', async () => {
    const key = { tenantId: 't-ops', clientKey: 'c1', subjectId: 'u1' };
    await a.tokens.getClientToken(key);
    await a.tokens.getClientToken(key); // served from memory: nothing to count
    expect(metrics.operations).toEqual(['mint:ok']);

    f.clock.advance(1_600_000); // due
    await a.refresh.runOnce();
    expect(metrics.operations).toEqual(['mint:ok', 'refresh:ok']);

    // The replaced token is still valid at SFS, so the subject's logout revokes both.
    expect(await a.tokens.revoke({ tenantId: 't-ops', subjectId: 'u1' }, 'logout')).toBe(2);
    await a.revocation.runOnce();
    expect(metrics.operations).toEqual(['mint:ok', 'refresh:ok', 'revoke:ok', 'revoke:ok']);

    expect(observedCalls()).toEqual(
      expect.arrayContaining([
        'client_revoke:201',
        'client_revoke:201',
        'client_token:201',
        'client_token:201',
        'platform_token:201',
      ]),
    );
  });

  it('counts a transient refresh failure as retry, a permanent one as failed, a failed mint as failed', async () => {
    const key = { tenantId: 't-fail', clientKey: 'c1', subjectId: 'u1' };
    await a.tokens.getClientToken(key);
    f.clock.advance(1_600_000);
    // Every attempt of the refresh's SFS call fails; one of them without any answer (status 0).
    f.sandbox.enqueueFaults(
      { status: 503, kind: 'client.create' },
      { reset: true, kind: 'client.create' },
      { status: 503, kind: 'client.create' },
    );
    await a.refresh.runOnce();
    f.clock.advance(5_000); // past the backoff
    f.sandbox.enqueueFaults({ status: 400, kind: 'client.create' });
    await a.refresh.runOnce();
    f.sandbox.enqueueFaults({ status: 400, kind: 'client.create' });
    await expect(a.tokens.getClientToken({ ...key, clientKey: 'c2' })).rejects.toMatchObject({
      code: 'SFS_REQUEST_REJECTED',
    });

    expect(metrics.operations).toEqual([
      'mint:ok',
      'refresh:retry',
      'refresh:failed',
      'mint:failed',
    ]);
    const calls = observedCalls().filter((c) => c.startsWith('client_token'));
    expect(calls).toEqual([
      'client_token:0',
      'client_token:201',
      'client_token:400',
      'client_token:400',
      'client_token:503',
      'client_token:503',
    ]);
  });

  it('observes API calls as `api` with their status and a real duration', async () => {
    const ctx = { tenantId: 't-api', clientKey: 'c1' };
    const client = a.app.get(SfsApiClient);
    const first = await a.tokens.getClientToken(ctx);
    f.sandbox.revokeToken(first.accessToken); // dead at SFS behind our back: 401, then a new token
    f.sandbox.enqueueFaults({ delayMs: 80, kind: 'contract.list' });
    await client.call(ctx, 'contract', { action: 'list' });

    expect(metrics.operations).toEqual(['mint:ok', 'refresh:ok']);
    expect(observedCalls()).toEqual(
      expect.arrayContaining(['api:200', 'api:401', 'client_token:201', 'client_token:201']),
    );
    // The module's clock is frozen in this suite: the duration comes from a real timer.
    const [delayed] = metrics.calls.filter((c) => c.call === 'api');
    expect(delayed.durationMs).toBeGreaterThanOrEqual(75);
    expect(metrics.calls.every((c) => Number.isFinite(c.durationMs) && c.durationMs >= 0)).toBe(
      true,
    );
  });

  it('observes the platform-token revocation at shutdown', async () => {
    await f.closeInstance(a);
    expect(observedCalls()).toEqual(['platform_revoke:201']);
  });

  it('a recorder that throws breaks neither token calls, SFS calls nor workers', async () => {
    const b = await f.addInstance({ metrics: throwing });
    const key = { tenantId: 't-throw', clientKey: 'c1', subjectId: 'u1' };
    const token = await b.tokens.getClientToken(key);
    expect(f.sandbox.isTokenActive(token.accessToken)).toBe(true);
    expect(await b.app.get(SfsApiClient).call(key, 'contract', { action: 'list' })).toEqual({
      contracts: [],
    });
    await b.tokens.revoke({ tenantId: 't-throw', tokenId: token.tokenId }, 'logout');
    const report = await b.revocation.runOnce();
    expect(report.outcomes).toContainEqual(
      expect.objectContaining({ tokenId: token.tokenId, outcome: 'revoked' }),
    );
  });
});
