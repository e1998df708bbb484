import { metrics } from '@opentelemetry/api';
import type { INestApplication } from '@nestjs/common';
import { SfsAuthHealthIndicator, SfsTokenService } from '../../../src';
import { SfsSandbox } from '../../../src/sandbox';
import { InMemoryMetrics } from '../../support/otel-metrics';
import { createTestApp, sandboxOptions } from '../../support/test-app';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

/**
 * A host that sets up the OpenTelemetry SDK and nothing else: with `@opentelemetry/api` installed
 * and no `metrics` option, the module records through the global meter provider.
 */
describe('metrics through OpenTelemetry by default', () => {
  const sdk = new InMemoryMetrics();
  let sandbox: SfsSandbox;
  let database: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    metrics.setGlobalMeterProvider(sdk.provider);
    sandbox = await SfsSandbox.start();
    database = await createTestDatabase('otel_default');
    app = await createTestApp({ databaseUrl: database.url, options: sandboxOptions(sandbox) });
  });
  let closed = false;
  afterAll(async () => {
    if (!closed) await app?.close();
    await sandbox?.close();
    await database?.drop();
    await sdk.shutdown();
    metrics.disable();
  });

  it('SFS attempts, operations and the health gauges reach the SDK, with no token in any attribute', async () => {
    const token = await app
      .get(SfsTokenService)
      .getClientToken({ tenantId: 'acme', clientKey: 'otel', subjectId: 'alice' });
    const seen = await sdk.collect();
    const calls = seen.filter((p) => p.name === 'http.client.request.duration');
    expect(calls.map((p) => p.attributes['sfs.call']).sort()).toEqual([
      'client_token',
      'platform_token',
    ]);
    for (const call of calls) {
      expect(call.attributes).toMatchObject({
        'http.request.method': 'POST',
        'server.address': '127.0.0.1',
        'server.port': sandbox.port,
        'http.response.status_code': 201,
      });
    }
    expect(seen.find((p) => p.name === 'sfs_auth.operations')).toMatchObject({
      attributes: { 'sfs_auth.operation': 'mint', 'sfs_auth.outcome': 'ok' },
      value: 1,
    });
    expect(seen.find((p) => p.name === 'sfs_auth.active_tokens')?.value).toBe(1);
    const attributes = JSON.stringify(seen.map((p) => p.attributes));
    const issued = sandbox
      .calls({ reveal: true })
      .flatMap((c) => (c.issuedToken ? [c.issuedToken] : []));
    for (const secret of [token.accessToken, ...issued, sandbox.credentials.secret]) {
      expect(attributes).not.toContain(secret);
    }
  });

  it('once the app is closed, a collection (the SDK flushes at its own shutdown) reads no gauges', async () => {
    // After the app, the host's database may be gone too: a read could hang the SDK's flush.
    const gauges = jest.spyOn(app.get(SfsAuthHealthIndicator), 'gauges');
    await app.close();
    closed = true;
    const seen = await sdk.collect();
    expect(gauges).not.toHaveBeenCalled();
    expect(seen.some((p) => p.name === 'http.client.request.duration')).toBe(true);
  });
});
