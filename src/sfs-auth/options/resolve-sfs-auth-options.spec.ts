import { randomBytes } from 'node:crypto';
import { SfsAuthConfigError } from '../errors/sfs-auth.error';
import { resolveSfsAuthOptions } from './resolve-sfs-auth-options';
import { sfsAuthOptionsFromEnv } from './sfs-auth-options-from-env';

const key = (id = 'k1') => `${id}:${randomBytes(32).toString('base64')}`;
const valid = { apiKey: 'api-key', secret: 'top-secret-value', encryptionKeys: key() };

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SfsAuthConfigError);
    return [...(error as SfsAuthConfigError).problems];
  }
  throw new Error('expected an SfsAuthConfigError');
}

describe('resolveSfsAuthOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveSfsAuthOptions(valid);
    expect(resolved).toMatchObject({
      baseUrl: 'https://api.sendforsign.com',
      authMode: 'token',
      refreshLeadSeconds: 300,
      sweepIntervalMs: 5000,
      retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5000 },
    });
    expect(resolved.encryptionKeys).toHaveLength(1);
    expect(resolved.encryptionKeys[0].key).toHaveLength(32);
  });

  it('reports every problem at once, naming the option and its variable', () => {
    const found = problems(() =>
      resolveSfsAuthOptions({
        baseUrl: 'http://api.example.com',
        authMode: 'magic' as 'token',
        refreshLeadSeconds: 'soon',
        sweepIntervalMs: -1,
        encryptionKeys: 'k1:c2hvcnQ=',
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/authMode \(SFS_AUTH_MODE\)/),
        expect.stringMatching(/apiKey \(SFS_API_KEY\) is required/),
        expect.stringMatching(/baseUrl \(SFS_BASE_URL\) must use https/),
        expect.stringMatching(/refreshLeadSeconds \(SFS_REFRESH_LEAD_SECONDS\)/),
        expect.stringMatching(/sweepIntervalMs \(SFS_SWEEP_INTERVAL_MS\)/),
        expect.stringMatching(/32 bytes .*got 5 bytes/),
      ]),
    );
    expect(found.length).toBeGreaterThanOrEqual(6);
  });

  it('refuses the api-key mode in production', () => {
    expect(
      problems(() =>
        resolveSfsAuthOptions({ ...valid, authMode: 'api-key', environment: 'production' }),
      ),
    ).toEqual([expect.stringMatching(/testing only/)]);
    expect(
      resolveSfsAuthOptions({ ...valid, authMode: 'api-key', environment: 'test' }).authMode,
    ).toBe('api-key');
  });

  it('never puts a secret or key material in its messages', () => {
    const secretKey = randomBytes(31).toString('base64');
    const error = (() => {
      try {
        resolveSfsAuthOptions({
          apiKey: 'k',
          secret: 'sup3r-s3cret',
          baseUrl: 'http://x',
          encryptionKeys: `a:${secretKey}`,
        });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toBeDefined();
    expect(error?.message).not.toContain('sup3r-s3cret');
    expect(error?.message).not.toContain(secretKey);
  });

  it.each([
    ['k1', /id must be/],
    [
      'k1:' + randomBytes(32).toString('base64') + ',k1:' + randomBytes(32).toString('base64'),
      /used twice/,
    ],
    ['bad id!:' + randomBytes(32).toString('base64'), /id must be/],
    ['k1:not base64 at all', /32 bytes/],
    ['', /required/],
  ])('rejects the key ring %j', (keys, message) => {
    expect(problems(() => resolveSfsAuthOptions({ ...valid, encryptionKeys: keys }))).toEqual([
      expect.stringMatching(message),
    ]);
  });

  it('accepts a credentials resolver instead of apiKey/secret', () => {
    const resolver = { resolve: () => ({ apiKey: 'a', secret: 'b' }) };
    expect(
      resolveSfsAuthOptions({ credentialsResolver: resolver, encryptionKeys: key() })
        .credentialsResolver,
    ).toBe(resolver);
  });

  it('reports an unreadable CA file', () => {
    expect(
      problems(() => resolveSfsAuthOptions({ ...valid, caFile: '/nonexistent/ca.pem' })),
    ).toEqual([expect.stringMatching(/SFS_CA_FILE.*cannot be read/)]);
  });
});

describe('sfsAuthOptionsFromEnv', () => {
  it('maps the environment variables of the README table', () => {
    const env = {
      SFS_BASE_URL: 'https://sfs.example.com',
      SFS_API_KEY: 'key',
      SFS_SECRET: 'secret',
      SFS_AUTH_MODE: 'api-key',
      NODE_ENV: 'test',
      SFS_ENCRYPTION_KEYS: key(),
      SFS_REFRESH_LEAD_SECONDS: '120',
      SFS_SWEEP_INTERVAL_MS: '250',
    };
    const resolved = resolveSfsAuthOptions(sfsAuthOptionsFromEnv(env));
    expect(resolved).toMatchObject({
      baseUrl: 'https://sfs.example.com',
      apiKey: 'key',
      authMode: 'api-key',
      refreshLeadSeconds: 120,
      sweepIntervalMs: 250,
    });
  });

  it('reads through anything with a get() (ConfigService) and treats empty values as unset', () => {
    const config = {
      get: (k: string) => ({ SFS_API_KEY: 'k', SFS_SECRET: 's', SFS_BASE_URL: '' })[k],
    };
    const options = sfsAuthOptionsFromEnv(config);
    expect(options.apiKey).toBe('k');
    expect(options.baseUrl).toBeUndefined();
  });

  it('resolves admin keys, retention and health, with their defaults', () => {
    const adminKey = 'k'.repeat(16);
    const resolved = resolveSfsAuthOptions({ ...valid, admin: { keys: `acme=${adminKey}` } });
    expect(resolved.admin.keys).toEqual([{ tenantId: 'acme', key: adminKey }]);
    expect(resolved.retention).toEqual({
      enabled: true,
      tokenSeconds: 30 * 86400,
      eventSeconds: 90 * 86400,
      batchSize: 500,
      intervalMs: 3_600_000,
    });
    expect(resolved.health).toEqual({
      overdueAfterMs: 60_000,
      maxOverdueRefreshes: 0,
      maxRevocationAgeMs: 600_000,
    });
  });

  it('reports bad admin keys, retention and health values with the rest, never echoing a key', () => {
    const found = problems(() =>
      resolveSfsAuthOptions({
        ...valid,
        admin: { keys: 'acme=too-short' },
        retention: { tokenSeconds: 0, batchSize: 'many' },
        health: { overdueAfterMs: -5 },
      }),
    );
    expect(found).toEqual([
      expect.stringMatching(
        /^admin\.keys \(SFS_ADMIN_KEYS\) entry 1 \(tenant acme\): key must be at least 16/,
      ),
      expect.stringMatching(/^retention\.tokenSeconds must be an integer/),
      expect.stringMatching(/^retention\.batchSize must be an integer/),
      expect.stringMatching(/^health\.overdueAfterMs must be an integer/),
    ]);
    expect(found.join('\n')).not.toContain('too-short');
  });

  it('maps SFS_ADMIN_KEYS and the retention variables', () => {
    const options = sfsAuthOptionsFromEnv({
      SFS_ADMIN_KEYS: '*=abc',
      SFS_RETENTION_TOKEN_SECONDS: '60',
      SFS_RETENTION_EVENT_SECONDS: '120',
    });
    expect(options.admin).toEqual({ keys: '*=abc' });
    expect(options.retention).toEqual({ tokenSeconds: '60', eventSeconds: '120' });
  });

  it('maps and resolves the change feed variables, with their defaults', () => {
    expect(resolveSfsAuthOptions(valid).changeFeed).toEqual({
      listenUrl: undefined,
      mode: 'auto',
      pollIntervalMs: 1000,
      probeIntervalMs: 60_000,
      probeTimeoutMs: 1000,
    });
    const listen = 'postgres://app:pw@db.internal:5432/app';
    const options = sfsAuthOptionsFromEnv({
      ...valid,
      SFS_API_KEY: 'k',
      SFS_SECRET: 's',
      SFS_ENCRYPTION_KEYS: key(),
      SFS_LISTEN_DATABASE_URL: listen,
      SFS_CHANGE_FEED_MODE: 'poll',
      SFS_CHANGE_FEED_POLL_INTERVAL_MS: '250',
    });
    expect(resolveSfsAuthOptions(options).changeFeed).toMatchObject({
      listenUrl: listen,
      mode: 'poll',
      pollIntervalMs: 250,
    });
  });

  it('reports a bad change feed mode, interval and listen URL together, never echoing the URL', () => {
    const found = problems(() =>
      resolveSfsAuthOptions({
        ...valid,
        changeFeed: {
          mode: 'sometimes' as 'auto',
          pollIntervalMs: 0,
          listenUrl: 'mysql://root:hunter2@db/x',
        },
      }),
    );
    expect(found).toEqual([
      expect.stringMatching(
        /^changeFeed\.listenUrl \(SFS_LISTEN_DATABASE_URL\) must be a postgres/,
      ),
      expect.stringMatching(
        /^changeFeed\.mode \(SFS_CHANGE_FEED_MODE\) must be 'auto', 'listen' or 'poll'/,
      ),
      expect.stringMatching(/^changeFeed\.pollIntervalMs \(SFS_CHANGE_FEED_POLL_INTERVAL_MS\)/),
    ]);
    expect(found.join('\n')).not.toContain('hunter2');
  });
});
