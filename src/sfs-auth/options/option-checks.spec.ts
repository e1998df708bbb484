import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SfsAuthModuleOptions } from './sfs-auth-options.interface';
import {
  authMode,
  baseUrl,
  caPem,
  changeFeedMode,
  compatibleWith,
  credentials,
  flag,
  integer,
  listenUrl,
  type Problems,
  shownValue,
} from './option-checks';

/** Runs one check; returns what it gave and the problems it reported. */
function check<T>(run: (problems: Problems) => T): { value: T; problems: Problems } {
  const problems: Problems = [];
  const value = run(problems);
  return { value, problems };
}

/** Options of a type the parameter does not admit (JavaScript hosts and typed config). */
const untyped = (options: Record<string, unknown>) => options as SfsAuthModuleOptions;

describe('shownValue', () => {
  it.each([
    ['text', '"text"'],
    ['', '""'],
    [42, '42'],
    [null, 'null'],
    [[1], 'an array'],
    [{}, 'an object'],
    [true, 'a boolean'],
    [undefined, 'a undefined'],
    [() => 1, 'a function'],
  ])('shows %p as %s', (value, shown) => {
    expect(shownValue(value)).toBe(shown);
  });
});

describe('integer', () => {
  const run = (value: unknown) => check((p) => integer(p, 'n', value, 7, 1, 10));

  it.each([
    [undefined, 7],
    [null, 7],
    ['', 7],
    [3, 3],
    ['4', 4],
    [' 5 ', 5],
    [1, 1],
    [10, 10],
  ])('reads %p as %p', (value, expected) => {
    expect(run(value)).toEqual({ value: expected, problems: [] });
  });

  it.each([
    [0, '0'],
    [11, '11'],
    [2.5, '2.5'],
    ['x', '"x"'],
    ['  ', '"  "'],
    [true, 'a boolean'],
    [[3], 'an array'],
  ])('refuses %p, keeping the fallback', (value, shown) => {
    expect(run(value)).toEqual({
      value: 7,
      problems: [`n must be an integer from 1 to 10 (got ${shown})`],
    });
  });
});

describe('flag', () => {
  const run = (value: unknown, fallback = false) => check((p) => flag(p, 'f', value, fallback));

  it.each([
    [undefined, true],
    [null, true],
    ['', true],
  ])('takes the fallback for %p', (value, expected) => {
    expect(run(value, true)).toEqual({ value: expected, problems: [] });
  });

  it.each([
    [true, true],
    [false, false],
    ['true', true],
    [' YES ', true],
    ['1', true],
    ['on', true],
    ['false', false],
    [' No ', false],
    ['0', false],
    ['OFF', false],
  ])('reads %p as %p', (value, expected) => {
    expect(run(value, !expected)).toEqual({ value: expected, problems: [] });
  });

  it.each([
    ['maybe', '"maybe"'],
    ['true!', '"true!"'],
    ['xtrue', '"xtrue"'],
    ['offx', '"offx"'],
    ['nope', '"nope"'],
    [1, '1'],
  ])('refuses %p, keeping the fallback', (value, shown) => {
    expect(run(value, true)).toEqual({
      value: true,
      problems: [`f must be true or false (got ${shown})`],
    });
  });
});

describe('baseUrl', () => {
  const run = (value: unknown) => check((p) => baseUrl(p, value, 'https://api.example.com/'));

  it.each([
    [undefined, 'https://api.example.com'],
    [null, 'https://api.example.com'],
    ['https://sfs.test', 'https://sfs.test'],
    [' https://sfs.test/api/// ', 'https://sfs.test/api'],
    ['https://sfs.test/a//b', 'https://sfs.test/a//b'],
    ['https://sfs.test:8443/x?q=1', 'https://sfs.test:8443/x'],
  ])('reads %p as %p', (value, expected) => {
    expect(run(value)).toEqual({ value: expected, problems: [] });
  });

  it('refuses a value that is not a string, naming its kind', () => {
    expect(run(42)).toEqual({
      value: 'https://api.example.com/',
      problems: ['baseUrl (SFS_BASE_URL) must be a string (got 42)'],
    });
  });

  it('refuses what is not a URL, plain HTTP, and credentials in the URL', () => {
    expect(run('not a url')).toEqual({
      value: 'not a url',
      problems: ['baseUrl (SFS_BASE_URL) is not a valid URL (got "not a url")'],
    });
    expect(run('http://sfs.test').problems).toEqual([
      'baseUrl (SFS_BASE_URL) must use https:// — SFS does not support HTTP (got http://)',
    ]);
    expect(run('https://me:pw@sfs.test').problems).toEqual([
      'baseUrl (SFS_BASE_URL) must not contain credentials',
    ]);
    expect(run('https://me@sfs.test').problems).toEqual([
      'baseUrl (SFS_BASE_URL) must not contain credentials',
    ]);
  });
});

describe('caPem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sfs-ca-'));
  const pemFile = join(dir, 'ca.pem');
  const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  writeFileSync(pemFile, PEM);
  const notPem = join(dir, 'not.pem');
  writeFileSync(notPem, 'hello');

  it('takes caPem first, then reads caFile, else none', () => {
    expect(check((p) => caPem(p, { caPem: 'given', caFile: pemFile }))).toEqual({
      value: 'given',
      problems: [],
    });
    expect(check((p) => caPem(p, { caFile: pemFile }))).toEqual({ value: PEM, problems: [] });
    expect(check((p) => caPem(p, {}))).toEqual({ value: undefined, problems: [] });
  });

  it('refuses a caFile that is not a path, cannot be read, or holds no certificate', () => {
    expect(check((p) => caPem(p, untyped({ caFile: 0 })))).toEqual({
      value: undefined,
      problems: [],
    });
    expect(check((p) => caPem(p, untyped({ caFile: 3 })))).toEqual({
      value: undefined,
      problems: ['caFile (SFS_CA_FILE) must be a file path (got 3)'],
    });
    const missing = join(dir, 'missing.pem');
    expect(check((p) => caPem(p, { caFile: missing }))).toEqual({
      value: undefined,
      problems: [`caFile (SFS_CA_FILE) ${missing} cannot be read`],
    });
    expect(check((p) => caPem(p, { caFile: notPem }))).toEqual({
      value: 'hello',
      problems: [`caFile (SFS_CA_FILE) ${notPem} holds no PEM certificate`],
    });
  });
});

describe('credentials', () => {
  const run = (options: Record<string, unknown>, mode = 'token') =>
    check((p) => credentials(p, untyped(options), mode)).problems;

  it('asks for nothing when a credentials resolver is given', () => {
    expect(run({ credentialsResolver: { resolve: () => null } })).toEqual([]);
  });

  it('needs the key and, in token mode, the secret, as non-blank strings', () => {
    expect(run({ apiKey: 'k', secret: 's' })).toEqual([]);
    expect(run({})).toEqual([
      'apiKey (SFS_API_KEY) is required',
      'secret (SFS_SECRET) is required in token mode',
    ]);
    expect(run({ apiKey: '  ', secret: null })).toEqual([
      'apiKey (SFS_API_KEY) is required',
      'secret (SFS_SECRET) is required in token mode',
    ]);
    expect(run({ apiKey: 'k' }, 'api-key')).toEqual([]);
  });

  it('names a credential of another type without showing it', () => {
    expect(run({ apiKey: 12345, secret: { s: 'hidden' } })).toEqual([
      'apiKey (SFS_API_KEY) must be a string',
      'secret (SFS_SECRET) must be a string',
    ]);
    expect(run({ apiKey: 0, secret: false })).toEqual([
      'apiKey (SFS_API_KEY) must be a string',
      'secret (SFS_SECRET) must be a string',
    ]);
  });
});

describe('authMode', () => {
  it('is token unless api-key is asked for, which production refuses', () => {
    expect(check((p) => authMode(p, {}))).toEqual({ value: 'token', problems: [] });
    expect(check((p) => authMode(p, { authMode: 'api-key' }))).toEqual({
      value: 'api-key',
      problems: [],
    });
    expect(check((p) => authMode(p, { authMode: 'token', environment: 'production' }))).toEqual({
      value: 'token',
      problems: [],
    });
    expect(
      check((p) => authMode(p, { authMode: 'api-key', environment: 'production' })).problems,
    ).toEqual(["authMode 'api-key' is for testing only and is refused when NODE_ENV=production"]);
  });

  it('refuses another mode, falling back to token', () => {
    expect(check((p) => authMode(p, untyped({ authMode: 'basic' })))).toEqual({
      value: 'token',
      problems: ["authMode (SFS_AUTH_MODE) must be 'token' or 'api-key' (got \"basic\")"],
    });
  });
});

describe('compatibleWith', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    ['0.1.0', '0.1.0'],
    [' 0.1.0 ', '0.1.0'],
  ])('reads %p as %p', (value, expected) => {
    expect(check((p) => compatibleWith(p, value))).toEqual({ value: expected, problems: [] });
  });

  it('refuses a release it cannot run beside, naming the ones it can', () => {
    expect(check((p) => compatibleWith(p, '0.0.9'))).toEqual({
      value: undefined,
      problems: ['compatibleWith (SFS_COMPATIBLE_WITH) must be one of \'0.1.0\' (got "0.0.9")'],
    });
  });
});

describe('changeFeedMode', () => {
  it.each([
    [undefined, 'auto'],
    [null, 'auto'],
    ['', 'auto'],
    ['  ', 'auto'],
    ['auto', 'auto'],
    [' listen ', 'listen'],
    ['poll', 'poll'],
  ])('reads %p as %p', (value, expected) => {
    expect(check((p) => changeFeedMode(p, value))).toEqual({ value: expected, problems: [] });
  });

  it.each([
    ['push', '"push"'],
    ['POLL', '"POLL"'],
    [1, '1'],
  ])('refuses %p, falling back to auto', (value, shown) => {
    expect(check((p) => changeFeedMode(p, value))).toEqual({
      value: 'auto',
      problems: [
        `changeFeed.mode (SFS_CHANGE_FEED_MODE) must be 'auto', 'listen' or 'poll' (got ${shown})`,
      ],
    });
  });
});

describe('listenUrl', () => {
  const PROBLEM =
    'changeFeed.listenUrl (SFS_LISTEN_DATABASE_URL) must be a postgres:// or postgresql:// URL';

  it.each([
    [undefined, undefined],
    [null, undefined],
    ['', undefined],
    ['   ', undefined],
    ['postgres://u:secret@db:5432/app', 'postgres://u:secret@db:5432/app'],
    [' postgresql://db/app ', 'postgresql://db/app'],
  ])('reads %p as %p', (value, expected) => {
    expect(check((p) => listenUrl(p, value))).toEqual({ value: expected, problems: [] });
  });

  it.each([
    ['https://u:secret@db/app'],
    ['mysql://u:secret@db/app'],
    ['not a url secret'],
    [42],
    [{ href: 'postgres://db/app' }],
  ])('refuses %p without echoing it', (value) => {
    expect(check((p) => listenUrl(p, value))).toEqual({ value: undefined, problems: [PROBLEM] });
  });
});
