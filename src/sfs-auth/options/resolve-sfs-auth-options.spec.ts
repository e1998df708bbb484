import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SfsAuthConfigError } from '../errors/sfs-auth.error';
import { resolveSfsAuthOptions } from './resolve-sfs-auth-options';
import { sfsAuthOptionsFromEnv } from './sfs-auth-options-from-env';
import { illTyped } from '../../../test/support/ill-typed';

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

  it('reads switches given as text (the environment), and names one it cannot read', () => {
    for (const [text, value] of [
      ['true', true],
      ['1', true],
      ['FALSE', false],
      ['0', false],
    ] as const) {
      expect(resolveSfsAuthOptions({ ...valid, admin: { console: text } }).admin.console).toBe(
        value,
      );
    }
    expect(() => resolveSfsAuthOptions({ ...valid, admin: { console: 'maybe' } })).toThrow(
      /admin\.console \(SFS_ADMIN_CONSOLE\) must be true or false \(got "maybe"\)/,
    );
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
      // Fixed keys: the titles show them, and Stryker's incremental report matches tests by title.
      'k1:' +
        Buffer.alloc(32, 1).toString('base64') +
        ',k1:' +
        Buffer.alloc(32, 2).toString('base64'),
      /used twice/,
    ],
    ['bad id!:' + Buffer.alloc(32, 3).toString('base64'), /id must be/],
    ['k1:not base64 at all', /32 bytes/],
    ['', /required/],
  ])('rejects the key ring %j', (keys, message) => {
    expect(problems(() => resolveSfsAuthOptions({ ...valid, encryptionKeys: keys }))).toEqual([
      expect.stringMatching(message),
    ]);
  });

  it('takes handoff.resolveSubject when it is a function, and names it when it is not', () => {
    const resolveSubject = () => null;
    const resolved = resolveSfsAuthOptions({ ...valid, handoff: { resolveSubject } });
    expect(resolved.handoff.resolveSubject).toBe(resolveSubject);
    const notAFunction = illTyped<typeof resolveSubject>('user');
    expect(
      problems(() =>
        resolveSfsAuthOptions({ ...valid, handoff: { resolveSubject: notAFunction } }),
      ),
    ).toEqual(['handoff.resolveSubject must be a function (request) => subject | null']);
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
  it('maps the environment variables of the configuration table (docs/configuration.md)', () => {
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
      expect.stringMatching(
        /^retention\.tokenSeconds \(SFS_RETENTION_TOKEN_SECONDS\) must be an integer/,
      ),
      expect.stringMatching(/^retention\.batchSize must be an integer/),
      expect.stringMatching(/^health\.overdueAfterMs must be an integer/),
    ]);
    expect(found.join('\n')).not.toContain('too-short');
  });

  it('maps every variable to its option, as strings, and nothing else', () => {
    const env: Record<string, string> = {
      SFS_BASE_URL: 'u',
      SFS_API_KEY: 'k',
      SFS_SECRET: 's',
      SFS_AUTH_MODE: 'token',
      NODE_ENV: 'production',
      SFS_CA_FILE: '/ca.pem',
      SFS_CA_PEM: 'p',
      SFS_ENCRYPTION_KEYS: 'e',
      SFS_REFRESH_LEAD_SECONDS: '1',
      SFS_SWEEP_INTERVAL_MS: '2',
      SFS_ADMIN_KEYS: 'a',
      SFS_RETENTION_TOKEN_SECONDS: '3',
      SFS_RETENTION_EVENT_SECONDS: '4',
      SFS_ADMIN_AUTH_FAILURE_LIMIT: '5',
      SFS_MAX_CONCURRENT_CALLS: '7',
      SFS_LISTEN_DATABASE_URL: 'l',
      SFS_CHANGE_FEED_MODE: 'poll',
      SFS_CHANGE_FEED_POLL_INTERVAL_MS: '6',
      SFS_DATA_KEY_CACHE_TTL_MS: '8',
    };
    expect(sfsAuthOptionsFromEnv(env)).toEqual({
      baseUrl: 'u',
      apiKey: 'k',
      secret: 's',
      authMode: 'token',
      environment: 'production',
      caFile: '/ca.pem',
      caPem: 'p',
      encryptionKeys: 'e',
      dataKeys: { cacheTtlMs: '8' },
      refreshLeadSeconds: '1',
      sweepIntervalMs: '2',
      sfs: { maxConcurrentCalls: '7' },
      admin: { keys: 'a', authFailureLimit: '5' },
      retention: { tokenSeconds: '3', eventSeconds: '4' },
      changeFeed: { listenUrl: 'l', mode: 'poll', pollIntervalMs: '6' },
    });
    const typed = { get: (k: string) => ({ SFS_REFRESH_LEAD_SECONDS: 120, SFS_SECRET: null })[k] };
    expect(sfsAuthOptionsFromEnv(typed)).toMatchObject({
      refreshLeadSeconds: '120',
      secret: undefined,
    });
  });

  it('turns the escaped newlines of a one-line SFS_CA_PEM into newlines, and only there', () => {
    const options = sfsAuthOptionsFromEnv({
      SFS_CA_PEM: '-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----',
      SFS_BASE_URL: 'https://a\\nb',
    });
    expect(options.caPem).toBe('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----');
    expect(options.baseUrl).toBe('https://a\\nb');
  });

  it('maps SFS_ADMIN_KEYS and the retention variables', () => {
    const options = sfsAuthOptionsFromEnv({
      SFS_ADMIN_KEYS: '*=abc',
      SFS_RETENTION_TOKEN_SECONDS: '60',
      SFS_RETENTION_EVENT_SECONDS: '120',
    });
    expect(options.admin).toEqual({ keys: '*=abc', authFailureLimit: undefined });
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

  it('compatibleWith (SFS_COMPATIBLE_WITH): a release it can run beside, trimmed, or a problem', () => {
    const fromEnv = (value: string) =>
      resolveSfsAuthOptions({
        ...sfsAuthOptionsFromEnv({ SFS_COMPATIBLE_WITH: value }),
        ...valid,
      }).compatibleWith;
    expect(fromEnv(' 0.1.0 ')).toBe('0.1.0');
    expect(fromEnv('')).toBeUndefined();
    expect(resolveSfsAuthOptions(valid).compatibleWith).toBeUndefined();
    expect(problems(() => fromEnv('0.0.9'))).toEqual([
      `compatibleWith (SFS_COMPATIBLE_WITH) must be one of '0.1.0' (got "0.0.9")`,
    ]);
  });
});

describe('resolveSfsAuthOptions: every default and every bound', () => {
  it('resolves the minimal options to exactly the documented defaults', () => {
    const resolved = resolveSfsAuthOptions(valid);
    expect({ ...resolved, encryptionKeys: undefined }).toEqual({
      baseUrl: 'https://api.sendforsign.com',
      apiKey: 'api-key',
      secret: 'top-secret-value',
      credentialsResolver: undefined,
      authMode: 'token',
      caPem: undefined,
      dispatcher: undefined,
      encryptionKeys: undefined,
      keyWrapper: undefined,
      dataKeys: { cacheTtlMs: 300000, cacheMaxEntries: 10000 },
      refreshLeadSeconds: 300,
      sweepIntervalMs: 5000,
      requestTimeoutMs: 10000,
      retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5000 },
      shutdownTimeoutMs: 3000,
      cache: { maxEntries: 10000, ttlMs: 300000, degradedTtlMs: 1000 },
      workers: {
        enabled: true,
        batchSize: 100,
        concurrency: 8,
        leaseMs: 60000,
        revocationGiveUpSeconds: 86400,
        maxBackoffMs: 600000,
      },
      lateAnswerGraceMs: 30_000,
      idleServiceTokenSeconds: 3600,
      maxSessionAgeSeconds: 86400,
      admin: {
        authorizer: undefined,
        keys: [],
        authFailureLimit: 20,
        authFailureWindowMs: 60_000,
        authFailureAlarmLimit: 100,
        authThrottleIpv6Prefix: 64,
        console: false,
      },
      handoff: {
        resolveSubject: undefined,
        maxStreamsPerSubject: 5,
        maxStreams: 1000,
        heartbeatMs: 25_000,
      },
      retention: {
        enabled: true,
        tokenSeconds: 2_592_000,
        eventSeconds: 7_776_000,
        batchSize: 500,
        intervalMs: 3_600_000,
      },
      health: { overdueAfterMs: 60_000, maxOverdueRefreshes: 0, maxRevocationAgeMs: 600_000 },
      metrics: undefined,
      sfs: { maxConcurrentCalls: 64 },
      changeFeed: {
        listenUrl: undefined,
        mode: 'auto',
        pollIntervalMs: 1000,
        probeIntervalMs: 60_000,
        probeTimeoutMs: 1000,
      },
    });
  });

  it('keeps workers and retention off when asked, and passes host objects through', () => {
    const metrics = { increment: () => undefined } as never;
    const dispatcher = {} as never;
    const resolved = resolveSfsAuthOptions({
      ...valid,
      workers: { enabled: false },
      retention: { enabled: false },
      metrics,
      dispatcher,
      caPem: '-----BEGIN CERTIFICATE-----',
    });
    expect(resolved.workers.enabled).toBe(false);
    expect(resolved.retention.enabled).toBe(false);
    expect(resolved.metrics).toBe(metrics);
    expect(resolved.dispatcher).toBe(dispatcher);
    expect(resolved.caPem).toBe('-----BEGIN CERTIFICATE-----');
  });

  const DAY = 86400;
  /** Every integer option: where it sits in the options, its name in problems, and its range. */
  const bounds: Array<[string, number, number]> = [
    ['refreshLeadSeconds', 0, DAY],
    ['sweepIntervalMs', 10, 3_600_000],
    ['requestTimeoutMs', 1, 300_000],
    ['retry.maxAttempts', 1, 20],
    ['retry.baseDelayMs', 0, 60_000],
    ['retry.maxDelayMs', 0, 600_000],
    ['shutdownTimeoutMs', 0, 60_000],
    ['cache.maxEntries', 0, 10_000_000],
    ['cache.ttlMs', 0, 86_400_000],
    ['cache.degradedTtlMs', 0, 86_400_000],
    ['dataKeys.cacheTtlMs', 0, 86_400_000],
    ['dataKeys.cacheMaxEntries', 0, 10_000_000],
    ['workers.batchSize', 1, 10_000],
    ['workers.concurrency', 1, 1000],
    ['workers.leaseMs', 1000, 3_600_000],
    ['workers.revocationGiveUpSeconds', 1, 30 * DAY],
    ['workers.maxBackoffMs', 1, 86_400_000],
    ['idleServiceTokenSeconds', 1, 30 * DAY],
    ['maxSessionAgeSeconds', 1, 365 * DAY],
    ['retention.tokenSeconds', 1, 3650 * DAY],
    ['retention.eventSeconds', 1, 3650 * DAY],
    ['retention.batchSize', 1, 100_000],
    ['retention.intervalMs', 10, 86_400_000],
    ['health.overdueAfterMs', 0, 86_400_000],
    ['health.maxOverdueRefreshes', 0, 10_000_000],
    ['health.maxRevocationAgeMs', 0, 30 * 86_400_000],
  ];
  const withOption = (path: string, value: number | string) => {
    const [group, leaf] = path.split('.');
    return leaf === undefined
      ? { ...valid, [group]: value }
      : { ...valid, [group]: { [leaf]: value } };
  };
  const read = (resolved: object, path: string): unknown =>
    path.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], resolved);

  it.each(bounds)('%s accepts %d and %d, as numbers or strings', (path, min, max) => {
    expect(read(resolveSfsAuthOptions(withOption(path, min)), path)).toBe(min);
    expect(read(resolveSfsAuthOptions(withOption(path, max)), path)).toBe(max);
    expect(read(resolveSfsAuthOptions(withOption(path, ` ${max} `)), path)).toBe(max);
  });

  it.each(bounds)(
    '%s refuses one below %d and one above %d, naming the range',
    (path, min, max) => {
      for (const bad of [min - 1, max + 1, min + 0.5, 'x']) {
        const found = problems(() => resolveSfsAuthOptions(withOption(path, bad)));
        expect(found).toHaveLength(1);
        expect(found[0].startsWith(`${path} `)).toBe(true);
        expect(found[0]).toContain(`must be an integer from ${min} to ${max}`);
        expect(found[0]).toContain(`(got ${JSON.stringify(bad)})`);
      }
    },
  );

  it('treats an empty string as unset (the default applies)', () => {
    expect(resolveSfsAuthOptions(withOption('workers.batchSize', '')).workers.batchSize).toBe(100);
  });
});

describe('option checks', () => {
  it.each([
    ['https://sfs.example.com/', 'https://sfs.example.com'],
    ['  https://sfs.example.com/base///  ', 'https://sfs.example.com/base'],
    ['https://sfs.example.com:8443/a/b/', 'https://sfs.example.com:8443/a/b'],
  ])('normalises the base URL %j to %j', (given, expected) => {
    expect(resolveSfsAuthOptions({ ...valid, baseUrl: given }).baseUrl).toBe(expected);
  });

  it.each([
    ['  not a url//  ', /^baseUrl \(SFS_BASE_URL\) is not a valid URL \(got "not a url"\)$/],
    [
      'http://sfs.example.com',
      /^baseUrl \(SFS_BASE_URL\) must use https:\/\/ .*\(got http:\/\/\)$/,
    ],
    ['https://user:pw@sfs.example.com', /^baseUrl \(SFS_BASE_URL\) must not contain credentials$/],
    ['https://user@sfs.example.com', /must not contain credentials/],
    ['https://:pw@sfs.example.com', /must not contain credentials/],
  ])('refuses the base URL %j', (given, message) => {
    expect(problems(() => resolveSfsAuthOptions({ ...valid, baseUrl: given }))).toEqual([
      expect.stringMatching(message),
    ]);
  });

  it('requires the secret in token mode only, and a non-blank API key', () => {
    expect(problems(() => resolveSfsAuthOptions({ ...valid, secret: '  ' }))).toEqual([
      'secret (SFS_SECRET) is required in token mode',
    ]);
    expect(problems(() => resolveSfsAuthOptions({ ...valid, apiKey: '  ' }))).toEqual([
      'apiKey (SFS_API_KEY) is required',
    ]);
    const apiKeyMode = resolveSfsAuthOptions({ ...valid, secret: undefined, authMode: 'api-key' });
    expect(apiKeyMode.authMode).toBe('api-key');
    expect(resolveSfsAuthOptions({ ...valid, apiKey: ' padded ' }).apiKey).toBe('padded');
  });

  it('reports an unknown auth mode exactly and falls back to token', () => {
    expect(
      problems(() => resolveSfsAuthOptions({ ...valid, authMode: 'magic' as 'token' })),
    ).toEqual(["authMode (SFS_AUTH_MODE) must be 'token' or 'api-key' (got \"magic\")"]);
  });

  it('reads a CA file, and refuses one without a PEM certificate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfs-ca-'));
    const pemFile = join(dir, 'ca.pem');
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    writeFileSync(pemFile, pem);
    expect(resolveSfsAuthOptions({ ...valid, caFile: pemFile }).caPem).toBe(pem);
    const junkFile = join(dir, 'junk.pem');
    writeFileSync(junkFile, 'not a certificate');
    expect(problems(() => resolveSfsAuthOptions({ ...valid, caFile: junkFile }))).toEqual([
      `caFile (SFS_CA_FILE) ${junkFile} holds no PEM certificate`,
    ]);
    expect(resolveSfsAuthOptions({ ...valid, caPem: pem, caFile: junkFile }).caPem).toBe(pem);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps `environment` and `caFile` out of the resolved options (they only feed other checks)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfs-ca-'));
    const pemFile = join(dir, 'ca.pem');
    writeFileSync(pemFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const resolved = resolveSfsAuthOptions({ ...valid, environment: 'test', caFile: pemFile });
    expect(resolved).not.toHaveProperty('environment');
    expect(resolved).not.toHaveProperty('caFile');
    expect(resolved.caPem).toContain('BEGIN CERTIFICATE');
    rmSync(dir, { recursive: true, force: true });
  });
});
