import { createHash } from 'node:crypto';
import type { DemoAdminKeys } from '../../e2e/support/demo-harness';

const long = (n: number, c = 'a') => c.repeat(n);
/** A fixed, well-formed v4 UUID that no row has. */
const UUID = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';

/** Strings a hostile client puts where an identifier, reason or id belongs. */
export const HOSTILE_STRINGS: readonly string[] = [
  "' OR '1'='1",
  "acme' --",
  '1; DROP TABLE sfs_client_token; --',
  '{"$ne":null}',
  '${7*7}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '..\\..\\windows',
  'a\u0000b',
  '\u0000',
  'çlient',
  'ｇｌｏｂｅｘ',
  '😀',
  '\u202egnp.exe',
  '\ud800',
  'acme\r\nX-Injected: 1',
  '',
  ' ',
  '*',
  '%61cme',
  '%2e%2e%2f',
  'null',
  long(129),
  long(128, 'b'),
  long(3000, 'c'),
];

/** Non-string JSON values where strings belong. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  [],
  ['acme'],
  {},
  { $gt: '' },
  [[{}]],
];

/** Path segments where a token id belongs (already percent-encoded as sent). */
export const HOSTILE_ID_SEGMENTS: readonly string[] = [
  '..%2f..%2fglobex%2ftokens',
  '%2e%2e%2f%2e%2e%2fglobex',
  '..%252f..%252fglobex',
  '%252e%252e',
  '..',
  '.',
  '%00',
  `${UUID}%00`,
  '%C0%AF',
  '%C0%AE%C0%AE%C0%AF',
  '%E0%80%AF',
  '%F0%80%80%AF',
  '%ED%A0%80',
  '%FF%FE',
  '%',
  '%zz',
  '%25',
  '%F0%9F%98%80',
  '%E2%80%AE',
  "'%20OR%20'1'%3D'1",
  '1%3BDROP%20TABLE%20sfs_client_token',
  'null',
  'NaN',
  '-1',
  UUID.toUpperCase(),
  `%7B${UUID}%7D`,
  UUID.replace(/-/g, ''),
  `${UUID}0`,
  UUID.slice(0, -1),
  long(1000, 'f'),
  '00000000-0000-0000-0000-000000000000',
];

/** Path segments where a tenant id belongs: `decoded` is what the route sees (null: undecodable). */
export const HOSTILE_TENANT_SEGMENTS: ReadonlyArray<{ sent: string; decoded: string | null }> = [
  'GLOBEX',
  'Acme',
  'acme%00',
  'acme%20',
  '%61cme',
  'glob%65x',
  '%2A',
  '*',
  'acme%2f..%2fglobex',
  '..',
  '%2e%2e',
  long(129),
  long(128),
  'acme;globex',
  'acme,globex',
  'acme%252fglobex',
  '%C0%AF',
  '%FF',
  'unknown-tenant',
  'acme%0d%0aX-Evil:%201',
  '%EF%BD%87lobex',
].map((sent) => ({ sent, decoded: safeDecode(sent) }));

/** Request bodies that are not the JSON object the routes take. */
export const RAW_BODIES: ReadonlyArray<string | Buffer> = [
  '{',
  '{"clientKey":}',
  "{'clientKey':'a'}",
  'null',
  '"clientKey"',
  '1',
  'true',
  '[]',
  '[{"clientKey":"a"}]',
  '{"clientKey":"a",}',
  '{"clientKey":"a","clientKey":{"$ne":null}}',
  '{"clientKey":"\\ud800"}',
  '{"clientKey":"a\\u0000"}',
  '{"__proto__":{"admin":true},"clientKey":"a"}',
  '{"constructor":{"prototype":{"admin":true}}}',
  `{"clientKey":"${long(5000)}"}`,
  Buffer.concat([Buffer.from('{"clientKey":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
  Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
  Buffer.from('{"clientKey":"a\u0000"}'),
];

/** Content types a body may be sent with. */
export const CONTENT_TYPES: readonly string[] = [
  'application/json',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=latin9',
  'application/merge-patch+json',
  'application/octet-stream',
];

/** Query parameters of the lists, and some the routes do not know. */
export const HOSTILE_QUERY: readonly string[] = [
  'limit=0',
  'limit=101',
  'limit=abc',
  'limit=1.5',
  'limit=-1',
  'limit=',
  'limit=1e3',
  'limit=0x10',
  'limit=Infinity',
  'limit=%00',
  'limit=1&limit=2',
  'limit[]=1',
  'limit[$gt]=0',
  'limit=99999999999999999999',
  'status=ACTIVE',
  'status=deleted',
  'status=',
  'status[]=active',
  'status=active%00',
  "status=active'%20OR%20'1'%3D'1",
  'cursor=abc',
  'cursor=',
  'cursor=%00',
  'cursor=..%2f..%2f',
  `cursor=${long(600)}`,
  'unknown=1',
  '__proto__[admin]=1',
  'constructor[prototype][admin]=1',
  'tenantId=globex',
  'a=%',
  '%=%',
];

/** An `Authorization` header and whose key it is, once parsed (`forged`: nobody's). */
export interface HostileCredential {
  readonly header: string | undefined;
  readonly caller: keyof DemoAdminKeys | 'forged';
}

/** Keys that nearly match `key`: same prefix, one character changed, other case, padding... */
export function nearMisses(key: string): string[] {
  const other = (c: string) => (c === 'A' ? 'B' : 'A');
  const mid = key.length >> 1;
  const swapCase = [...key]
    .map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()))
    .join('');
  return [
    key.slice(0, -1),
    `${key}A`,
    key.slice(0, 16),
    `${key.slice(0, -1)}${other(key[key.length - 1])}`,
    `${other(key[0])}${key.slice(1)}`,
    `${key.slice(0, mid)}${other(key[mid])}${key.slice(mid + 1)}`,
    swapCase,
    key.toUpperCase(),
    key.toLowerCase(),
    `${key}%20`,
    `${key.slice(1)}x`,
    Buffer.from(key).toString('base64'),
    createHash('sha256').update(key).digest('hex'),
    `${key}${key}`,
    `"${key}"`,
    `${key},${key}`,
  ].filter((variant) => variant !== key);
}

/**
 * Missing, malformed and forged credentials, plus spellings of real keys that HTTP makes equal
 * (trailing whitespace is not part of a header value; the scheme is case-insensitive).
 */
export function hostileCredentials(keys: DemoAdminKeys): HostileCredential[] {
  const forged = (header: string | undefined): HostileCredential => ({ header, caller: 'forged' });
  const tenants = Object.keys(keys) as Array<keyof DemoAdminKeys>;
  return [
    forged(undefined),
    forged(''),
    forged('Bearer'),
    forged('Bearer '),
    forged('Bearer null'),
    forged('Bearer *'),
    forged('Bearer acme'),
    forged(`Bearer ${long(513, 'A')}`),
    forged(`Bearer ${long(5000, 'A')}`),
    ...tenants.flatMap((t) => [
      forged(`Basic ${Buffer.from(`admin:${keys[t]}`).toString('base64')}`),
      forged(`Basic ${keys[t]}`),
      forged(`Token ${keys[t]}`),
      forged(`Bearer\t${keys[t]}`),
      forged(`Bearer ${keys[t]} ${keys[t]}`),
      ...nearMisses(keys[t]).map((k) => forged(`Bearer ${k}`)),
      { header: `Bearer ${keys[t]} `, caller: t },
      { header: `bearer ${keys[t]}`, caller: t },
      { header: `BEARER   ${keys[t]}`, caller: t },
    ]),
  ];
}

/** `decodeURIComponent`, or null when the router could not decode it either. */
export function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** `encodeURIComponent`, with a lone surrogate sent as its (invalid) UTF-8 bytes. */
export function encodeHostile(value: string): string {
  return [...value]
    .map((c) => {
      try {
        return encodeURIComponent(c);
      } catch {
        return '%ED%A0%80';
      }
    })
    .join('');
}
