import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { anyText, anyValue, fuzzRuns } from '../../../test/support/fuzz';
import { SfsAuthConfigError } from '../errors/sfs-auth.error';
import { parseAdminKeys } from './admin-keys';
import { parseEncryptionKeys } from './encryption-keys';
import { SFS_OPTION_TABLE, sfsSetValueAt, sfsValueAt } from './option-table';
import { resolveSfsAuthOptions } from './resolve-sfs-auth-options';
import { sfsAuthOptionsFromEnv } from './sfs-auth-options-from-env';
import type { SfsAuthModuleOptions } from './sfs-auth-options.interface';
import { illTyped } from '../../../test/support/ill-typed';

/** The variables `sfsAuthOptionsFromEnv` reads. */
const ENV_NAMES = SFS_OPTION_TABLE.flatMap((row) => (row.env ? [row.env] : []));
/** `caFile` reads a file: fuzzed with paths that exist, do not, or are no file. */
const CA_FILES = ['/nonexistent/ca.pem', '/', '.', '', ' ', '\u0000'];

/**
 * A secret as a host could write it, starting with a marker no message or other input holds, so
 * finding it in a message can only mean it was echoed.
 */
const secretText = fc
  .oneof(
    fc.stringMatching(/^[A-Za-z0-9._:@-]{6,40}$/),
    fc.stringMatching(/^[A-Za-z0-9+/]{6,40}={0,2}$/),
    anyText(30).filter((s) => !/[,=:]/.test(s) && s.trim() === s && s.length >= 6),
  )
  .map((s) => `Zq9${s}`);
const base64Key = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => Buffer.from(b).toString('base64'));
const keyId = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/), anyText(8));

/** An `SFS_ENCRYPTION_KEYS` value and the key material in it. */
const encryptionKeysText = fc
  .array(
    fc.record({
      id: fc.option(keyId, { nil: undefined }),
      key: fc.oneof(base64Key, secretText),
    }),
    { maxLength: 4 },
  )
  .chain((entries) =>
    fc.constantFrom(',', ' , ', ',,').map((sep) => ({
      text: entries.map((e) => (e.id === undefined ? e.key : `${e.id}:${e.key}`)).join(sep),
      secrets: entries.map((e) => e.key),
    })),
  );

/** An `SFS_ADMIN_KEYS` value (entries with or without their `tenant=`) and the keys in it. */
const adminKeysText = fc
  .array(
    fc.record({
      tenant: fc.option(
        fc.oneof(
          fc.constantFrom('acme', '*', 'acme/read', '*/read', ''),
          fc.stringMatching(/^[A-Za-z0-9._:@-]{1,12}$/),
          anyText(8).filter((s) => !/[,=]/.test(s)),
        ),
        { nil: undefined },
      ),
      key: secretText,
    }),
    { maxLength: 4 },
  )
  .map((entries) => ({
    text: entries.map((e) => (e.tenant === undefined ? e.key : `${e.tenant}=${e.key}`)).join(','),
    secrets: entries.map((e) => e.key),
  }));

const integerText = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt().map(String),
  fc.constantFrom('', ' ', '1e3', '0x10', '1_000', '٣', '+5', ' 7 ', '-0', 'Infinity'),
  anyText(12),
);

/** A value for one variable: arbitrary text, or text shaped like what the variable holds. */
function envValue(name: string): fc.Arbitrary<string> {
  const shaped: Record<string, fc.Arbitrary<string>> = {
    SFS_BASE_URL: fc.oneof(
      fc.webUrl(),
      fc.constantFrom('https://sfs.test', 'http://x', 'https://u:p@h'),
    ),
    SFS_AUTH_MODE: fc.constantFrom('token', 'api-key', 'TOKEN', ''),
    NODE_ENV: fc.constantFrom('production', 'test', 'development'),
    SFS_CA_FILE: fc.constantFrom(...CA_FILES),
    SFS_CHANGE_FEED_MODE: fc.constantFrom('auto', 'listen', 'poll', ' poll '),
    SFS_LISTEN_DATABASE_URL: secretText.map((s) => `postgres://app:${s}@db/app`),
    SFS_ADMIN_CONSOLE: fc.constantFrom('true', 'false', '1', '0', 'yes', 'maybe'),
  };
  const row = SFS_OPTION_TABLE.find((r) => r.env === name);
  const shape = shaped[name] ?? (row?.kind === 'integer' ? integerText : anyText());
  // SFS_CA_FILE stays within paths that are harmless to read.
  return name === 'SFS_CA_FILE' ? shape : fc.oneof(shape, anyText());
}

/** A key ring that parses (the text, and its key material). */
const validRing = base64Key.map((key) => ({ text: `k1:${key}`, secrets: [key] }));
/** Admin keys that parse. */
const validAdminKeys = fc
  .stringMatching(/^[A-Za-z0-9._:@-]{16,40}$/)
  .map((key) => ({ text: `acme=Zq9${key}`, secrets: [`Zq9${key}`] }));

/** An environment: any subset of the variables, secrets marked, plus unrelated variables. */
const environment = fc
  .record({
    // A few variables at a time, so that some environments are valid and resolve.
    shaped: fc
      .shuffledSubarray(ENV_NAMES, { maxLength: 6 })
      .chain((names) => fc.record(Object.fromEntries(names.map((n) => [n, envValue(n)])))),
    apiKey: fc.option(secretText, { nil: undefined, freq: 4 }),
    secret: fc.option(secretText, { nil: undefined, freq: 4 }),
    encryptionKeys: fc.oneof(
      { arbitrary: validRing, weight: 3 },
      encryptionKeysText,
      fc.constant(undefined),
    ),
    adminKeys: fc.oneof(validAdminKeys, adminKeysText, fc.constant(undefined)),
    other: fc.dictionary(anyText(10), anyText(10), { maxKeys: 3 }),
  })
  .map(({ shaped, apiKey, secret, encryptionKeys, adminKeys, other }) => {
    const env: Record<string, string> = { ...other, ...(shaped as Record<string, string>) };
    if (apiKey !== undefined) env.SFS_API_KEY = apiKey;
    if (secret !== undefined) env.SFS_SECRET = secret;
    if (encryptionKeys) env.SFS_ENCRYPTION_KEYS = encryptionKeys.text;
    if (adminKeys) env.SFS_ADMIN_KEYS = adminKeys.text;
    const listen = env.SFS_LISTEN_DATABASE_URL;
    const secrets = [
      apiKey,
      secret,
      ...(encryptionKeys?.secrets ?? []),
      ...(adminKeys?.secrets ?? []),
      // The whole listen URL and its password (the marked part) are both secret.
      ...(listen?.includes('Zq9')
        ? [listen, listen.slice(listen.indexOf('Zq9'), listen.lastIndexOf('@'))]
        : []),
    ].filter((s): s is string => s !== undefined && s.startsWith('Zq9'));
    return { env, secrets };
  });

type Outcome =
  | { readonly ok: true; readonly resolved: Record<string, unknown> }
  | { readonly ok: false; readonly error: SfsAuthConfigError };

/** Resolves; the typed error is an outcome, anything else thrown fails the property. */
function resolve(options: SfsAuthModuleOptions): Outcome {
  try {
    return {
      ok: true,
      resolved: { ...resolveSfsAuthOptions(options) },
    };
  } catch (error) {
    if (error instanceof SfsAuthConfigError) return { ok: false, error };
    throw error;
  }
}

/** A resolution either resolves within every row's rules or lists its problems, naming no secret. */
function checkOutcome(outcome: Outcome, secrets: readonly string[]): void {
  if (outcome.ok) {
    for (const row of SFS_OPTION_TABLE) {
      const value = sfsValueAt(outcome.resolved, row.path);
      if (row.kind === 'integer') {
        expect(Number.isInteger(value)).toBe(true);
        expect(value as number).toBeGreaterThanOrEqual(row.min);
        expect(value as number).toBeLessThanOrEqual(row.max);
      } else if (row.kind === 'boolean') {
        expect(typeof value).toBe('boolean');
      }
    }
    expect(outcome.resolved.baseUrl).toMatch(/^https:\/\//);
    expect((outcome.resolved.encryptionKeys as unknown[]).length).toBeGreaterThan(0);
    return;
  }
  const { error } = outcome;
  expect(error.code).toBe('CONFIG_INVALID');
  expect(error.problems.length).toBeGreaterThan(0);
  for (const problem of error.problems) expect(error.message).toContain(problem);
  for (const secret of secrets) expect(error.message).not.toContain(secret);
}

describe('resolveSfsAuthOptions (fuzzed)', () => {
  it('an environment of arbitrary strings resolves, or is an SfsAuthConfigError naming no secret', () => {
    fc.assert(
      fc.property(environment, ({ env, secrets }) => {
        const outcome = resolve(sfsAuthOptionsFromEnv(env));
        checkOutcome(outcome, secrets);
        if (outcome.ok) expect(outcome.resolved.apiKey).toBe(env.SFS_API_KEY.trim());
      }),
      fuzzRuns(Number(process.env.FUZZ_RUNS ?? 400)),
    );
  });

  it('a ConfigService whose get() returns typed values is read the same way', () => {
    const typed = fc.oneof(anyText(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(
        fc.record(
          Object.fromEntries(ENV_NAMES.filter((n) => n !== 'SFS_CA_FILE').map((n) => [n, typed])),
          {
            requiredKeys: [],
          },
        ),
        (values) => {
          const config = { get: (key: string) => (values as Record<string, unknown>)[key] };
          checkOutcome(resolve(sfsAuthOptionsFromEnv(config)), []);
        },
      ),
      fuzzRuns(200),
    );
  });

  /** Options a host could build in code (a JavaScript host, or a factory reading typed config). */
  const optionObjects = fc
    .record({
      base: fc.boolean(),
      // Every path of the table, a group replaced whole, or an unknown option: any value.
      paths: fc.dictionary(
        fc.oneof(
          fc.constantFrom(...SFS_OPTION_TABLE.map((row) => row.path)),
          fc.constantFrom(
            'retry',
            'cache',
            'workers',
            'admin',
            'handoff',
            'changeFeed',
            'dataKeys',
            'sfs',
            'health',
            'retention',
          ),
          fc.constantFrom('unknownOption', '__proto__', 'constructor'),
        ),
        anyValue(),
        { maxKeys: 6 },
      ),
      secrets: fc.record({ apiKey: secretText, secret: secretText, encryptionKey: base64Key }),
    })
    .map(({ base, paths, secrets }) => {
      const options: Record<string, unknown> = base
        ? {
            apiKey: secrets.apiKey,
            secret: secrets.secret,
            encryptionKeys: `k1:${secrets.encryptionKey}`,
          }
        : {};
      for (const [path, value] of Object.entries(paths)) {
        // A file descriptor is no CA file; the check of that is a test of its own below.
        if (path === 'caFile' && !(typeof value === 'string' && CA_FILES.includes(value))) continue;
        try {
          sfsSetValueAt(options, path, value);
        } catch {
          // The group on the way is not an object (e.g. `retry: 5` then `retry.maxAttempts`): left as is.
        }
      }
      return { options, secrets: [secrets.apiKey, secrets.secret, secrets.encryptionKey] };
    });

  it('arbitrary option objects resolve, or are an SfsAuthConfigError naming no secret', () => {
    fc.assert(
      fc.property(optionObjects, ({ options, secrets }) => {
        checkOutcome(resolve(options as SfsAuthModuleOptions), secrets);
      }),
      fuzzRuns(Number(process.env.FUZZ_RUNS ?? 400)),
    );
  });
});

describe('parseAdminKeys and parseEncryptionKeys (fuzzed)', () => {
  it('admin keys: every entry is a key or a problem, and no problem holds a key', () => {
    fc.assert(
      fc.property(adminKeysText, ({ text, secrets }) => {
        const { keys, problems } = parseAdminKeys(text);
        expect(keys.length + problems.length).toBe(secrets.length);
        for (const key of keys) expect(secrets).toContain(key.key);
        for (const secret of secrets) expect(problems.join('\n')).not.toContain(secret);
      }),
      fuzzRuns(300),
    );
  });

  it('admin keys given as a record of any values: parsed or problems, never a TypeError', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue(), fc.dictionary(anyText(10), anyValue())), (input) => {
        const { keys, problems } = parseAdminKeys(input as Record<string, string>);
        for (const key of keys) {
          expect(typeof key.key).toBe('string');
          expect(key.key.length).toBeGreaterThanOrEqual(16);
        }
        expect(problems.every((p) => typeof p === 'string')).toBe(true);
      }),
      fuzzRuns(300),
    );
  });

  it('encryption keys: valid entries come back as their 32 bytes, and no problem holds key text', () => {
    fc.assert(
      fc.property(encryptionKeysText, ({ text, secrets }) => {
        const { keys, problems } = parseEncryptionKeys(text);
        for (const key of keys) {
          expect(key.key).toHaveLength(32);
          expect(secrets).toContain(key.key.toString('base64'));
        }
        for (const secret of secrets) expect(problems.join('\n')).not.toContain(secret);
      }),
      fuzzRuns(300),
    );
  });

  it('encryption keys given as a list of any values: parsed or problems, never a TypeError', () => {
    const entry = fc.oneof(anyValue(), fc.record({ id: anyValue(), key: anyValue() }));
    fc.assert(
      fc.property(fc.oneof(anyValue(), fc.array(entry, { maxLength: 4 })), (input) => {
        const { keys, problems } = parseEncryptionKeys(input as string);
        for (const key of keys) expect(key.key).toHaveLength(32);
        expect(keys.length + problems.length).toBeGreaterThan(0);
      }),
      fuzzRuns(300),
    );
  });
});

describe('regressions found by the properties above', () => {
  const valid = {
    apiKey: 'api-key',
    secret: 'top-secret-value',
    encryptionKeys: `k1:${randomBytes(32).toString('base64')}`,
  };
  const problemsOf = (options: object): readonly string[] => {
    const outcome = resolve(options as SfsAuthModuleOptions);
    if (outcome.ok) throw new Error('expected an SfsAuthConfigError');
    return outcome.error.problems;
  };

  it('an SFS_ADMIN_KEYS entry without tenant= (a key alone) is refused without showing it', () => {
    // Shrunk counterexample: it was named as the tenant ("entry 1 (tenant Zq9_A-.@@): key must...").
    const env = {
      SFS_API_KEY: 'k',
      SFS_SECRET: 's',
      SFS_ENCRYPTION_KEYS: valid.encryptionKeys,
    };
    const found = problemsOf(sfsAuthOptionsFromEnv({ ...env, SFS_ADMIN_KEYS: 'Zq9_A-.@@' }));
    expect(found).toEqual([
      "admin.keys (SFS_ADMIN_KEYS) entry 1: must be tenantId=key (no '=' found)",
    ]);
    const key = 'k'.repeat(16);
    expect(parseAdminKeys(`acme=${key},${key}`)).toEqual({
      keys: [{ tenantId: 'acme', key }],
      problems: ["admin.keys (SFS_ADMIN_KEYS) entry 2: must be tenantId=key (no '=' found)"],
    });
  });

  it.each<[string, unknown, string]>([
    // Shrunk counterexample: `(value ?? fallback).trim is not a function`.
    ['baseUrl', 0, 'baseUrl (SFS_BASE_URL) must be a string (got 0)'],
    ['baseUrl', {}, 'baseUrl (SFS_BASE_URL) must be a string (got an object)'],
    [
      'workers.batchSize',
      true,
      'workers.batchSize must be an integer from 1 to 10000 (got a boolean)',
    ],
    ['cache.ttlMs', 3n, 'cache.ttlMs must be an integer from 0 to 86400000 (got a bigint)'],
    ['admin.console', -1, 'admin.console (SFS_ADMIN_CONSOLE) must be true or false (got -1)'],
    ['apiKey', 5, 'apiKey (SFS_API_KEY) must be a string'],
    ['secret', 123456789012345678901234567890n, 'secret (SFS_SECRET) must be a string'],
    ['authMode', 5n, "authMode (SFS_AUTH_MODE) must be 'token' or 'api-key' (got a bigint)"],
    [
      'changeFeed.mode',
      1.5,
      "changeFeed.mode (SFS_CHANGE_FEED_MODE) must be 'auto', 'listen' or 'poll' (got 1.5)",
    ],
    [
      'changeFeed.listenUrl',
      new Map(),
      'changeFeed.listenUrl (SFS_LISTEN_DATABASE_URL) must be a postgres:// or postgresql:// URL',
    ],
    // Shrunk counterexample: `entries.forEach is not a function`.
    [
      'encryptionKeys',
      0,
      'encryptionKeys (SFS_ENCRYPTION_KEYS) must be `id:base64key,...` or a list of { id, key }',
    ],
    [
      'encryptionKeys',
      [undefined],
      "encryptionKeys entry 1: id must be 1-32 chars of [A-Za-z0-9_-] followed by ':'",
    ],
    // Shrunk counterexample (CI, seed -1110903433): `[,]`, a list with one hole, gave no key and no problem.
    [
      'encryptionKeys',
      // eslint-disable-next-line no-sparse-arrays
      [,],
      "encryptionKeys entry 1: id must be 1-32 chars of [A-Za-z0-9_-] followed by ':'",
    ],
    [
      'encryptionKeys',
      [{ id: 'k1', key: 5 }],
      "encryptionKeys entry 1 (id 'k1'): key must be 32 bytes in base64 (got 0 bytes)",
    ],
    [
      'admin.keys',
      ['acme=x'],
      'admin.keys (SFS_ADMIN_KEYS) must be `tenantId=key,...` or a record of keys',
    ],
    [
      'compatibleWith',
      0n,
      "compatibleWith (SFS_COMPATIBLE_WITH) must be one of '0.1.0' (got a bigint)",
    ],
  ])('%s given %p is a problem, not a TypeError', (path, value, problem) => {
    const options: Record<string, unknown> = { ...valid };
    sfsSetValueAt(options, path, value);
    expect(problemsOf(options)).toEqual([problem]);
  });

  it('null is an option left unset (as the environment reader treats it)', () => {
    // Shrunk counterexamples: `parseAdminKeys(null)` and `{ workers: { batchSize: null } }`.
    expect(parseAdminKeys(null)).toEqual({ keys: [], problems: [] });
    const resolved = resolveSfsAuthOptions(
      illTyped<SfsAuthModuleOptions>({
        ...valid,
        baseUrl: null,
        workers: { batchSize: null, enabled: null },
        admin: { keys: null },
        changeFeed: { listenUrl: null, mode: null },
      }),
    );
    expect(resolved).toMatchObject({
      baseUrl: 'https://api.sendforsign.com',
      workers: { batchSize: 100, enabled: true },
      admin: { keys: [] },
      changeFeed: { listenUrl: undefined, mode: 'auto' },
    });
  });

  it('a caFile that is not a path is refused, not read as a file descriptor', () => {
    // Found while writing the generator: `readFileSync(0)` would read stdin, any number an open fd.
    const dir = mkdtempSync(join(tmpdir(), 'sfs-ca-'));
    const file = join(dir, 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const fd = openSync(file, 'r');
    try {
      expect(problemsOf({ ...valid, caFile: fd })).toEqual([
        `caFile (SFS_CA_FILE) must be a file path (got ${fd})`,
      ]);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
