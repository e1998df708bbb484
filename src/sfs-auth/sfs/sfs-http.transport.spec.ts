import { randomBytes } from 'node:crypto';
import { resolveSfsAuthOptions } from '../options/resolve-sfs-auth-options';
import { SfsHttpTransport } from './sfs-http.transport';

describe('SfsHttpTransport', () => {
  const resolved = resolveSfsAuthOptions({
    apiKey: 'k',
    secret: 's',
    encryptionKeys: `k1:${randomBytes(32).toString('base64')}`,
  });

  it('refuses to send anything to a non-https URL, even if options were built by hand', async () => {
    const slept: number[] = [];
    const transport = new SfsHttpTransport(
      { ...resolved, baseUrl: 'http://127.0.0.1:9' },
      async (ms) => void slept.push(ms),
    );
    const error = await transport.post('/api/token', { data: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', retryable: false });
    expect((error as Error).message).toContain('https://');
    expect(slept).toEqual([]);
  });
});
