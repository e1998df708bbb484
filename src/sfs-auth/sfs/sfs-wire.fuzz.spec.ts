import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Dispatcher } from 'undici';
import { anyText, anyValue, fuzzRuns } from '../../../test/support/fuzz';
import { SfsApiError } from '../errors/sfs-auth.error';
import { resolveSfsAuthOptions } from '../options/resolve-sfs-auth-options';
import { cleanSfsMessage } from './sfs-error.mapping';
import { SfsHttpTransport } from './sfs-http.transport';
import { SfsHttpTokenApi } from './sfs-token.api';
import { parseErrorMessage, parseTokenResponse, type SfsIssuedToken } from './sfs-wire';
import { illTyped } from '../../../test/support/ill-typed';

/** SFS's message as the module may show it: 200 printable ASCII characters at most. */
const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

/** JSON text of any value (a bigint as its digits). */
const jsonText = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? '';
const ascii = fc.stringMatching(/^[a-z0-9]{4,10}$/);
/**
 * A secret or token, starting with a marker nothing else holds: token alphabet (what SFS issues),
 * punctuation and spaces (what a host's API secret may hold), or any Unicode.
 */
const secretText = fc
  .oneof(
    fc.stringMatching(/^[A-Za-z0-9._~+/=-]{8,60}$/),
    fc.stringMatching(/^[ -~]{8,60}$/),
    // Mostly ASCII with other characters inside, as in "pässwörd-1234".
    fc
      .tuple(ascii, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), ascii)
      .map((parts) => parts.join('')),
  )
  .map((s) => `Zq9${s}`);

/**
 * Whether `text` shows any of `secret`: whole, as SFS's message would be cleaned, or the start of
 * it left by the 200-character cut (12 characters, the marker included, are enough to leak).
 */
function shows(text: string, secret: string): boolean {
  const cleaned = printable(secret);
  return [secret, cleaned, cleaned.slice(0, 12)].some((s) => text.includes(s));
}

/** A message made of filler and echoes of `sent`, anywhere (also across the 200-character cut). */
const echoing = (sent: readonly string[]) =>
  fc
    .array(
      fc.oneof(
        anyText(80),
        fc.constantFrom(...sent),
        fc.nat({ max: 199 }).map((n) => 'x'.repeat(n)),
      ),
      { maxLength: 6 },
    )
    .map((parts) => parts.join(''));

describe('parseTokenResponse and parseErrorMessage (fuzzed)', () => {
  const tokenLike = fc.record(
    {
      access_token: fc.oneof(
        anyValue(),
        fc.string({ minLength: 1 }),
        fc.constant('x'.repeat(8193)),
      ),
      token_type: fc.oneof(anyValue(), fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic')),
      expires_in: fc.oneof(anyValue(), fc.integer(), fc.double(), fc.integer().map(String)),
    },
    { requiredKeys: [] },
  );

  it('any value is a usable Bearer token read as given, or undefined (never a throw)', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue(), fc.jsonValue(), tokenLike), (body) => {
        const token = parseTokenResponse(body);
        if (token === undefined) return;
        const record = body as Record<string, unknown>;
        expect(token.tokenType).toBe('Bearer');
        expect(token.accessToken).toBe(record.access_token);
        expect(token.accessToken.length).toBeGreaterThan(0);
        expect(token.accessToken.length).toBeLessThanOrEqual(8192);
        expect(token.expiresInSeconds).toBe(Number(record.expires_in));
        expect(Number.isFinite(token.expiresInSeconds) && token.expiresInSeconds > 0).toBe(true);
      }),
      fuzzRuns(500),
    );
  });

  it('any value gives undefined or the start of its message, printable and 200 characters at most', () => {
    const long = fc.string({ unit: 'grapheme', minLength: 190, maxLength: 260 });
    const errorLike = fc.record({
      code: anyValue(),
      message: fc.oneof(anyValue(), anyText(300), long),
    });
    fc.assert(
      fc.property(fc.oneof(anyValue(), fc.jsonValue(), errorLike), (body) => {
        const message = parseErrorMessage(body);
        if (message === undefined) return;
        const given = (body as { message: string }).message;
        expect(message).toBe(printable(given.slice(0, 200)));
        expect(message).toMatch(/^[ -~]{0,200}$/);
      }),
      fuzzRuns(500),
    );
  });
});

describe('cleanSfsMessage (fuzzed)', () => {
  it('SFS echoing what was sent, anywhere in its message, shows none of it', () => {
    const sentAndBody = fc
      .uniqueArray(secretText, { minLength: 1, maxLength: 4 })
      .chain((secrets) =>
        fc.record({
          secrets: fc.constant(secrets),
          message: echoing(secrets),
          code: anyValue(),
        }),
      );
    fc.assert(
      fc.property(sentAndBody, ({ secrets, message, code }) => {
        // As the transport passes it: the request body, extra headers and the bearer token.
        const sent = [
          { data: { apiKey: secrets[0], secret: secrets[1] } },
          { 'X-H': secrets[2] },
          secrets[3],
        ];
        const cleaned = cleanSfsMessage({ code, message }, sent);
        expect(typeof cleaned).toBe('string');
        for (const secret of secrets) expect(shows(cleaned!, secret)).toBe(false);
      }),
      fuzzRuns(500),
    );
  });
});

describe('SfsHttpTokenApi over any SFS answer (fuzzed)', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']));

  /** What the fake connection pool answers: any status, `Retry-After`, body text, or a failure. */
  type Answer =
    | { readonly kind: 'answer'; status: number; retryAfter?: string; text: string }
    | { readonly kind: 'failure'; thrown: unknown };

  /** A connection pool (the host's `dispatcher` option) answering `answer` to every request. */
  function pool(answer: Answer): Dispatcher {
    const request = async () => {
      if (answer.kind === 'failure') throw answer.thrown;
      return {
        statusCode: answer.status,
        headers: answer.retryAfter === undefined ? {} : { 'retry-after': answer.retryAfter },
        body: { text: async () => answer.text },
      };
    };
    return illTyped<Dispatcher>({ request });
  }

  const calls = [
    'createPlatformToken',
    'createClientToken',
    'revokePlatformToken',
    'revokeClientToken',
  ] as const;

  /** A call, what it sends, and what SFS answers to it (echoing what it was sent, sometimes). */
  const exchange = fc
    .record({
      call: fc.constantFrom(...calls),
      apiKey: secretText,
      secret: secretText,
      platformToken: secretText,
      clientToken: secretText,
      clientKey: fc.stringMatching(/^[A-Za-z0-9._:@-]{1,20}$/),
    })
    .chain((sent) => {
      const secrets = secretsSent(sent);
      const body = fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        anyText(200),
        fc.constant(''),
        fc
          .record({ code: anyValue(), message: fc.oneof(echoing(secrets), anyValue()) })
          .map(jsonText),
        {
          weight: 4,
          arbitrary: fc
            .record({
              access_token: fc.oneof(secretText, secretText, anyValue()),
              token_type: fc.constantFrom('Bearer', 'bearer', 'mac', undefined),
              expires_in: fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.double(), fc.string()),
            })
            .map(jsonText),
        },
      );
      const answer: fc.Arbitrary<Answer> = fc.oneof(
        {
          weight: 6,
          arbitrary: fc.record({
            kind: fc.constant('answer' as const),
            status: fc.oneof(
              { weight: 3, arbitrary: fc.constantFrom(200, 201, 204) },
              fc.integer({ min: 100, max: 599 }),
              fc.constantFrom(200, 201, 401, 403, 429, 503),
              fc.integer(),
            ),
            retryAfter: fc.option(
              fc.oneof(
                anyText(20),
                fc.nat().map(String),
                fc.date().map((d) => d.toUTCString()),
              ),
              {
                nil: undefined,
              },
            ),
            text: body,
          }),
        },
        fc.record({ kind: fc.constant('failure' as const), thrown: anyValue() }),
      );
      return fc.record({ sent: fc.constant(sent), answer });
    });

  /** The secrets a call sends SFS (and so SFS may echo back). */
  function secretsSent(sent: {
    call: (typeof calls)[number];
    apiKey: string;
    secret: string;
    platformToken: string;
    clientToken: string;
  }): string[] {
    if (sent.call === 'createPlatformToken') return [sent.apiKey, sent.secret];
    if (sent.call === 'revokeClientToken') return [sent.platformToken, sent.clientToken];
    return [sent.platformToken];
  }

  const encryptionKeys = `k1:${randomBytes(32).toString('base64')}`;

  it('each call resolves as the answer says, or rejects with an SfsApiError showing no secret', async () => {
    await fc.assert(
      fc.asyncProperty(exchange, async ({ sent, answer }) => {
        const options = resolveSfsAuthOptions({
          apiKey: 'unused',
          secret: 'unused',
          encryptionKeys,
          baseUrl: 'https://sfs.test',
          retry: { maxAttempts: 1 },
          dispatcher: pool(answer),
        });
        const api = new SfsHttpTokenApi(new SfsHttpTransport(options));
        const context = { tenantId: 't1' };
        const run = (): Promise<SfsIssuedToken | void> => {
          switch (sent.call) {
            case 'createPlatformToken':
              return api.createPlatformToken({ apiKey: sent.apiKey, secret: sent.secret }, context);
            case 'createClientToken':
              return api.createClientToken(sent.platformToken, sent.clientKey, context);
            case 'revokePlatformToken':
              return api.revokePlatformToken(sent.platformToken, context);
            case 'revokeClientToken':
              return api.revokeClientToken(sent.platformToken, sent.clientToken, context);
          }
        };
        let result: SfsIssuedToken | void;
        try {
          result = await run();
        } catch (error) {
          expect(error).toBeInstanceOf(SfsApiError);
          const typed = error as SfsApiError;
          expect(typed.code).toMatch(/^SFS_[A-Z_]+$/);
          if (typed.retryAfterMs !== undefined)
            expect(typed.retryAfterMs).toBeGreaterThanOrEqual(0);
          for (const secret of secretsSent(sent)) {
            expect(shows(typed.message, secret)).toBe(false);
          }
          return;
        }
        // Resolved: SFS said yes (a 2xx; for a platform token's revocation, a 401 too).
        expect(answer.kind).toBe('answer');
        const { status, text } = answer as Extract<Answer, { kind: 'answer' }>;
        const ok = status >= 200 && status <= 299;
        if (sent.call.startsWith('create')) {
          expect(ok).toBe(true);
          expect(result).toBeDefined();
          expect(result).toEqual(parseTokenResponse(JSON.parse(text)));
        } else {
          expect(ok || (sent.call === 'revokePlatformToken' && status === 401)).toBe(true);
          expect(result).toBeUndefined();
        }
      }),
      fuzzRuns(400),
    );
  });
});

describe('regressions found by the properties above', () => {
  it('an echoed secret holding a character outside printable ASCII is redacted', () => {
    // Shrunk counterexample: cleaned to "Zq9wyam1p?wb9c" first, it no longer matched what was sent.
    const secret = 'Zq9wyam1p\ua138wb9c';
    expect(cleanSfsMessage({ code: 0, message: secret }, [{ data: { secret } }])).toBe(
      '[redacted]',
    );
    expect(cleanSfsMessage({ message: `bad secret pässwörd-1234` }, ['pässwörd-1234'])).toBe(
      'bad secret [redacted]',
    );
  });

  it('an echoed secret cut by the 200-character limit is redacted, not shown in part', () => {
    // Shrunk counterexample: the fourth echo was cut to its first 28 characters, which were shown.
    const secret = 'Zq9;zjtzw)7@Y<"3223HP]b7#4sf>';
    const message = 'x'.repeat(85) + secret.repeat(4);
    const cleaned = cleanSfsMessage({ message }, [{ data: { secret } }]);
    // (The 85 x are redacted too: 24+ characters of token alphabet.)
    expect(cleaned).toBe('[redacted]'.repeat(5));
    expect(cleanSfsMessage({ message: `${'x '.repeat(90)}${secret}` }, [secret])).toBe(
      `${'x '.repeat(90)}[redacted]`,
    );
  });
});
