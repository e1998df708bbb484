import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateSandboxCertificate } from '../../../src/sandbox/sandbox-certificate';
import { SfsTokenApi } from '../../../src/sfs-auth/sfs/sfs-token.api';
import type { TestingModule } from '@nestjs/testing';
import {
  compileSfsModule,
  errorText,
  expectNoSecrets,
  failureOf,
  type CapturingLogger,
  testEncryptionKeys,
} from './sfs-harness';

/**
 * Answers the sandbox cannot give (it validates strictly and only injects error statuses), from a
 * bare HTTPS server: each request gets the next scripted answer.
 */
describe('SFS answers outside the documented shapes', () => {
  const secret = 'S3cr3t-value-that-must-never-leak-0123456789';
  const apiKey = 'odd-api-key-1';
  let server: Server;
  let answers: Array<{ status: number; body: string; headers?: Record<string, string> }> = [];
  let received = 0;
  let moduleRef: TestingModule;
  let logs: CapturingLogger;
  let api: SfsTokenApi;
  const errors: unknown[] = [];

  beforeAll(async () => {
    const cert = await generateSandboxCertificate();
    server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
      received++;
      req.resume();
      req.on('end', () => {
        const answer = answers.shift() ?? { status: 500, body: '' };
        res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
        res.end(answer.body);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    ({ moduleRef, logs } = await compileSfsModule({
      baseUrl: `https://127.0.0.1:${port}`,
      caPem: cert.certPem,
      apiKey,
      secret,
      encryptionKeys: testEncryptionKeys(),
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 10 },
    }));
    api = moduleRef.get<SfsTokenApi>(SfsTokenApi);
  });

  beforeEach(() => {
    received = 0;
  });

  afterAll(async () => {
    await moduleRef?.close();
    expectNoSecrets([...logs.lines, ...errors.map(errorText)], [secret, apiKey, 'tok-']);
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it.each([
    ['not JSON', 'Created'],
    ['an empty body', ''],
    ['no access_token', '{"token_type":"Bearer","expires_in":1800}'],
    ['another token type', '{"access_token":"tok-1","token_type":"mac","expires_in":1800}'],
    ['a zero lifetime', '{"access_token":"tok-2","token_type":"Bearer","expires_in":0}'],
  ])('turns a 2xx with %s into a permanent SFS_BAD_RESPONSE', async (_name, body) => {
    answers = [{ status: 201, body }];
    const error = await failureOf(api.createPlatformToken({ apiKey, secret }));
    errors.push(error);
    expect(error).toMatchObject({ code: 'SFS_BAD_RESPONSE', retryable: false });
    expect(received).toBe(1);
  });

  it('accepts any 2xx token answer, with expires_in as a string', async () => {
    answers = [{ status: 200, body: '{"access_token":"tok-3","expires_in":"600"}' }];
    await expect(api.createPlatformToken({ apiKey, secret })).resolves.toEqual({
      accessToken: 'tok-3',
      tokenType: 'Bearer',
      expiresInSeconds: 600,
    });
  });

  it('does not follow redirects (they could carry credentials elsewhere)', async () => {
    answers = [
      { status: 307, body: '', headers: { Location: 'https://example.invalid/api/token' } },
    ];
    const error = await failureOf(api.createPlatformToken({ apiKey, secret }));
    errors.push(error);
    expect(error).toMatchObject({ code: 'SFS_REQUEST_REJECTED', retryable: false, status: 307 });
    expect(received).toBe(1);
  });

  it('keeps the SFS error message but redacts anything it echoes back', async () => {
    const echo = `{"code":"403","message":"bad secret ${secret} for ${apiKey}"}`;
    answers = [{ status: 403, body: echo }];
    const error = await failureOf(api.createPlatformToken({ apiKey, secret }));
    errors.push(error);
    expect(error).toMatchObject({ code: 'SFS_CREDENTIALS_REJECTED', status: 403 });
    expect((error as Error).message).toContain('bad secret [redacted] for [redacted]');
  });

  it('parses an HTTP-date Retry-After', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    answers = [{ status: 503, body: '{}', headers: { 'Retry-After': at } }];
    const error = await failureOf(api.createPlatformToken({ apiKey, secret }));
    errors.push(error);
    expect(error).toMatchObject({ code: 'SFS_UNAVAILABLE', retryable: true });
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(50_000);
    expect(received).toBe(1); // longer than maxDelayMs: handed back at once
  });
});
