import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import {
  fieldWithNul,
  jsonTextTooDeep,
  readSfsAdminBody,
  reservedKeyIn,
  valueTooDeep,
} from './admin-body.limits';

const nested = (levels: number, open = '[', close = ']') =>
  open.repeat(levels) + close.repeat(levels);

describe('admin body limits (pure checks)', () => {
  it.each([
    ['{}', 8, false],
    [nested(8), 8, false],
    [nested(9), 8, true],
    [nested(6000, '{"a":', '}'), 8, true],
    // Brackets inside strings, escaped quotes included, do not count.
    [`{"a":"${'['.repeat(50)}\\"${'{'.repeat(50)}"}`, 8, false],
    [`["\\\\", ${nested(9)}]`, 8, true],
    // Closing brackets count down: many siblings are as deep as one.
    [`[${Array(20).fill('{}').join(',')}]`, 8, false],
    [`{${Array.from({ length: 20 }, (_, i) => `"k${i}":[[]]`).join(',')}}`, 3, false],
  ])('jsonTextTooDeep(%#) with max %d is %s', (text, max, expected) => {
    expect(jsonTextTooDeep(text, max)).toBe(expected);
  });

  it('measures a parsed value without recursion, 100000 levels deep included', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(valueTooDeep(deep, 8)).toBe(true);
    expect(valueTooDeep({ a: { b: [1, 2, { c: 'd' }] } }, 8)).toBe(false);
    expect(valueTooDeep({ a: { b: [1] } }, 2)).toBe(true);
    expect(valueTooDeep('plain', 0)).toBe(false);
    // Exactly `max` levels is not too deep, and plain values inside add no level.
    expect(valueTooDeep({ a: { b: 1 } }, 2)).toBe(false);
    expect(valueTooDeep([1, null, 'x', true], 1)).toBe(false);
  });

  it('names the first field holding a NUL, in keys and values, nested or not', () => {
    expect(fieldWithNul({ subjectId: 'nobody', reason: 'a\u0000b' })).toBe('reason');
    expect(fieldWithNul({ a: { b: ['ok', 'x\u0000'] } })).toBe('a.b[1]');
    expect(fieldWithNul({ 'k\u0000': 'v' })).toBe('body');
    expect(fieldWithNul('\u0000')).toBe('body');
    expect(fieldWithNul({ reason: 'fine', n: 5, m: null })).toBeUndefined();
  });
});

/** A request as Node's HTTP server hands it over: these headers, then `chunks`, then the end. */
function request(headers: Record<string, string>, chunks: Array<string | Buffer> = []) {
  const message = new IncomingMessage(new Socket());
  message.headers = headers;
  for (const chunk of chunks) message.push(Buffer.from(chunk));
  message.push(null);
  return message;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const sized = (body: string) => ({ ...JSON_TYPE, 'content-length': String(body.length) });
const refusal = (statusCode: number, code: string, message: string, field?: string) => ({
  ok: false,
  error: field ? { statusCode, code, message, field } : { statusCode, code, message },
});
const UNSUPPORTED_TYPE = refusal(
  415,
  'UNSUPPORTED_MEDIA_TYPE',
  'body media type is not supported (use application/json; charset=utf-8)',
);
const TOO_LARGE = refusal(413, 'PAYLOAD_TOO_LARGE', 'request body must be at most 4096 bytes');
const invalidBody = (problem: string, field = 'body') =>
  refusal(400, 'INVALID_INPUT', `${field} ${problem}`, field);

describe('readSfsAdminBody', () => {
  it('reads a JSON object, declared or chunked, and gives its bytes', async () => {
    const text = '{"subjectId":"user-1","reason":"left"}';
    for (const headers of [sized(text), { ...JSON_TYPE, 'transfer-encoding': 'chunked' }]) {
      const verdict = await readSfsAdminBody(request(headers, [text.slice(0, 5), text.slice(5)]));
      expect(verdict).toEqual({
        ok: true,
        body: { subjectId: 'user-1', reason: 'left' },
        bytes: Buffer.from(text),
      });
    }
  });

  it.each([
    ['no length and no transfer encoding', { ...JSON_TYPE }],
    ['a length of 0', { ...JSON_TYPE, 'content-length': '0' }],
  ])('has no body with %s', async (_, headers) => {
    expect(await readSfsAdminBody(request(headers, ['{"a":1}']))).toBeUndefined();
  });

  it.each([
    'application/json; charset=utf-8',
    'Application/JSON; Charset=UTF-8',
    'application/json;charset="utf-8"',
    'application/json; boundary=x',
  ])('accepts the media type %j', async (type) => {
    const verdict = await readSfsAdminBody(
      request({ ...sized('[]'), 'content-type': type }, ['[]']),
    );
    expect(verdict).toEqual({ ok: true, body: [], bytes: Buffer.from('[]') });
  });

  it.each([
    'text/plain',
    'application/jsonx',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    '',
  ])('refuses the media type %j before reading', async (type) => {
    const headers: Record<string, string> = { 'content-length': '2' };
    if (type) headers['content-type'] = type;
    expect(await readSfsAdminBody(request(headers, ['{}']))).toEqual(UNSUPPORTED_TYPE);
  });

  it.each(['gzip', ' GZIP ', 'br'])('refuses the content encoding %j', async (encoding) => {
    const headers = { ...sized('{}'), 'content-encoding': encoding };
    expect(await readSfsAdminBody(request(headers, ['{}']))).toEqual(
      refusal(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'body content encoding is not supported (send it uncompressed)',
      ),
    );
  });

  it('takes an identity encoding as none', async () => {
    const headers = { ...sized('{}'), 'content-encoding': ' Identity ' };
    expect(await readSfsAdminBody(request(headers, ['{}']))).toMatchObject({ ok: true });
  });

  it('refuses a declared length over 4096 bytes, and takes one of 4096', async () => {
    const fits = `{"a":"${'x'.repeat(4096 - 8)}"}`;
    expect(fits).toHaveLength(4096);
    expect(await readSfsAdminBody(request(sized(fits), [fits]))).toMatchObject({ ok: true });
    expect(
      await readSfsAdminBody(request({ ...JSON_TYPE, 'content-length': '4097' }, ['{}'])),
    ).toEqual(TOO_LARGE);
  });

  it('counts the bytes of a chunked body as they come, 4096 fitting and one more not', async () => {
    const chunked = { ...JSON_TYPE, 'transfer-encoding': 'chunked' };
    const fits = `{"a":"${'x'.repeat(4096 - 8)}"}`;
    const chunks = (text: string) => [text.slice(0, 2000), text.slice(2000)];
    expect(await readSfsAdminBody(request(chunked, chunks(fits)))).toMatchObject({ ok: true });
    const over = `{"a":"${'x'.repeat(4096 - 7)}"}`;
    expect(await readSfsAdminBody(request(chunked, chunks(over)))).toEqual(TOO_LARGE);
  });

  it('resolves no body when the client goes away mid-body', async () => {
    const message = new IncomingMessage(new Socket());
    message.headers = { ...JSON_TYPE, 'transfer-encoding': 'chunked' };
    message.push(Buffer.from('{"a":'));
    const verdict = readSfsAdminBody(message);
    setImmediate(() => message.destroy());
    expect(await verdict).toBeUndefined();
  });

  it.each([
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), invalidBody('must be UTF-8')],
    [
      'JSON nested too deep',
      '[[[[[[[[[]]]]]]]]]',
      invalidBody('must not nest deeper than 8 levels'),
    ],
    ['a bare null', 'null', invalidBody('must be valid JSON')],
    ['a bare string', '"x"', invalidBody('must be valid JSON')],
    ['broken JSON', '{"a":', invalidBody('must be valid JSON')],
    [
      'a NUL in a field',
      '{"reason":"a\\u0000b"}',
      invalidBody('must not contain NUL characters', 'reason'),
    ],
    ['a reserved key', '{"a":{"__proto__":{"x":1}}}', invalidBody('is not allowed', '__proto__')],
    ['a constructor key', '[{"constructor":1}]', invalidBody('is not allowed', 'constructor')],
  ])('refuses %s, naming the field', async (_, body, expected) => {
    const bytes = Buffer.from(body);
    expect(await readSfsAdminBody(request(sized(bytes.toString('latin1')), [bytes]))).toEqual(
      expected,
    );
  });

  it('takes leading white space before the JSON value', async () => {
    const text = ' \n\t{"a":[1,{"b":null}]}';
    expect(await readSfsAdminBody(request(sized(text), [text]))).toEqual({
      ok: true,
      body: { a: [1, { b: null }] },
      bytes: Buffer.from(text),
    });
  });
});

describe('reservedKeyIn', () => {
  it('finds the first reserved key, nested in objects and lists, and nothing in plain values', () => {
    expect(reservedKeyIn({ a: 1, b: [{ prototype: 2 }] })).toBe('prototype');
    expect(reservedKeyIn(JSON.parse('{"x":{"__proto__":1}}'))).toBe('__proto__');
    expect(reservedKeyIn({ a: { b: 'constructor' }, c: ['prototype'] })).toBeUndefined();
    expect(reservedKeyIn('constructor')).toBeUndefined();
    expect(reservedKeyIn(null)).toBeUndefined();
  });
});
