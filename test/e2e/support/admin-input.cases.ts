import { randomUUID } from 'node:crypto';
import type { AdminRouteName } from './admin-api';

/** Cursors issued by the running app, for the cursor cases. */
export interface Cursors {
  acmeTokens: string;
  acmeActiveTokens: string;
  acmeEvents: string;
  globexTokens: string;
  globexEvents: string;
}

/** What a malformed request changes in a valid one (tenant `acme`, a random token id). */
interface InputRequest {
  readonly tenant?: string;
  readonly tokenId?: string;
  readonly query?: string | ((c: Cursors) => string);
  readonly body?: unknown;
  readonly contentType?: string;
}

/** One malformed request and the 4xx it must get. */
export interface InputCase extends InputRequest {
  readonly label: string;
  readonly status: 400 | 413 | 415;
  /** The field a 400 must name. */
  readonly field?: string;
}

const bad = (field: string, label: string, request: InputRequest = {}): InputCase => ({
  label,
  status: 400,
  field,
  ...request,
});
const unsupported = (label: string, request: InputRequest): InputCase => ({
  label,
  status: 415,
  ...request,
});
const q = encodeURIComponent;
const long = (n: number) => 'a'.repeat(n);
const json = 'application/json';
/** The first character of a cursor part changed (the last one may only hold padding bits). */
const tamper = (cursor: string, part: 0 | 1) =>
  cursor
    .split('.')
    .map((p, i) => (i === part ? (p[0] === 'A' ? 'B' : 'A') + p.slice(1) : p))
    .join('.');

const BAD_IDENTIFIERS = ["' OR '1'='1", 'a;DROP TABLE x', long(129), 'çlient', '😀', ''];
const WRONG_TYPES: unknown[] = [5, true, ['a'], { $ne: null }];

const LIMIT_CASES = ['0', '101', 'abc', '1.5', '-1', '', '1e3', '99999999999999999999'].map((n) =>
  bad('limit', `limit=${n}`, { query: `limit=${q(n)}` }),
);

const CURSOR_CASES = [
  bad('cursor', 'garbage cursor', { query: 'cursor=abc' }),
  bad('cursor', 'cursor over 1024 chars', { query: `cursor=${long(1100)}` }),
  bad('cursor', 'empty cursor', { query: 'cursor=' }),
  bad('cursor', 'extra part', { query: (c) => `cursor=${q(`${c.acmeTokens}.x`)}` }),
  bad('cursor', 'tampered tag', { query: (c) => `cursor=${q(tamper(c.acmeTokens, 1))}` }),
  bad('cursor', 'tampered body', { query: (c) => `cursor=${q(tamper(c.acmeTokens, 0))}` }),
  bad('cursor', 'two cursors', { query: (c) => `cursor=${q(c.acmeTokens)}&cursor=x` }),
];

const uuid = randomUUID();
const PATH_CASES = [
  ...['abc', '1', q("' OR 1=1--"), uuid.replace(/-/g, ''), `${uuid}x`, `%7B${uuid}%7D`, '%00'].map(
    (tokenId) => bad('tokenId', `tokenId ${tokenId}`, { tokenId }),
  ),
  bad('path', 'overlong UTF-8', { tokenId: '%C0%AF' }),
  bad('tenantId', 'tenant with a space', { tenant: 'ac%20me' }),
  bad('tenantId', 'tenant of 129 chars', { tenant: long(129) }),
  bad('tenantId', 'tenant *', { tenant: '%2A' }),
  { label: 'body over 4096 bytes', body: { x: long(5000) }, status: 413 } as const,
];

/** Malformed bodies around one identifier field of a body route. */
const bodyCases = (field: string): InputCase[] => [
  ...BAD_IDENTIFIERS.map((v) =>
    bad(field, `${field} "${v.slice(0, 16)}"`, { body: { [field]: v } }),
  ),
  ...WRONG_TYPES.map((v) => bad(field, `${field} ${JSON.stringify(v)}`, { body: { [field]: v } })),
  bad('admin', 'unknown field', { body: { [field]: 'ok', admin: true } }),
  bad('tenantId', 'tenantId in the body', { body: { [field]: 'ok', tenantId: 'globex' } }),
  bad('__proto__', '__proto__', { body: `{"${field}":"ok","__proto__":{}}`, contentType: json }),
  bad('body', 'invalid JSON', { body: `{"${field}":`, contentType: json }),
  bad('body', 'single quotes', { body: `{'${field}':'ok'}`, contentType: json }),
  bad('body', 'JSON null', { body: 'null', contentType: json }),
  bad('0', 'array of strings', { body: ['ok'] }),
  {
    label: 'latin9',
    body: `{"${field}":"ok"}`,
    contentType: `${json}; charset=latin9`,
    status: 415,
  },
  { label: 'over 4096 bytes', body: { [field]: long(5000) }, status: 413 },
  { label: 'over the parser limit', body: { [field]: long(200_000) }, status: 413 },
];

/** Malformed requests of every admin route, by route. */
export const INPUT_CASES: Record<AdminRouteName, readonly InputCase[]> = {
  list: [
    ...LIMIT_CASES,
    bad('limit', 'two limits', { query: 'limit=1&limit=2' }),
    bad('status', 'status=deleted', { query: 'status=deleted' }),
    bad('status', 'status=ACTIVE', { query: 'status=ACTIVE' }),
    bad('status[]', 'status[]=active', { query: 'status[]=active' }),
    ...BAD_IDENTIFIERS.filter(Boolean).map((v) =>
      bad('clientKey', `clientKey "${v.slice(0, 16)}"`, { query: `clientKey=${q(v)}` }),
    ),
    bad('clientKey', 'two clientKeys', { query: 'clientKey=a&clientKey=b' }),
    bad('subjectId', 'subjectId {"$ne":null}', { query: `subjectId=${q('{"$ne":null}')}` }),
    bad('subjectId', 'subjectId NUL', { query: 'subjectId=%00' }),
    bad('unknown', 'unknown parameter', { query: 'unknown=1' }),
    bad('__proto__', '__proto__ parameter', { query: '__proto__=1' }),
    ...CURSOR_CASES,
    bad('cursor', "globex's cursor", { query: (c) => `cursor=${q(c.globexTokens)}` }),
    bad('cursor', 'cursor of no filter, with one', {
      query: (c) => `status=active&cursor=${q(c.acmeTokens)}`,
    }),
    bad('cursor', 'cursor of a filter, without it', {
      query: (c) => `cursor=${q(c.acmeActiveTokens)}`,
    }),
    bad('cursor', "the events list's cursor", { query: (c) => `cursor=${q(c.acmeEvents)}` }),
  ],
  get: PATH_CASES,
  mint: [
    bad('clientKey', 'empty body', { body: {} }),
    bad('clientKey', 'no body'),
    ...bodyCases('clientKey'),
    bad('subjectId', 'subjectId 5', { body: { clientKey: 'ok', subjectId: 5 } }),
    // Admin bodies are JSON only: anything else is refused before it is parsed.
    unsupported('text/plain', { body: 'clientKey=ok', contentType: 'text/plain' }),
    unsupported('XML', { body: '<clientKey>ok</clientKey>', contentType: 'application/xml' }),
    unsupported('form, two values', {
      body: 'clientKey=a&clientKey=b',
      contentType: 'application/x-www-form-urlencoded',
    }),
  ],
  refresh: PATH_CASES,
  revoke: PATH_CASES,
  bulkRevoke: [
    ...bodyCases('clientKey'),
    ...bodyCases('subjectId'),
    bad('reason', 'empty reason', { body: { clientKey: 'ok', reason: '' } }),
    bad('reason', 'reason of 201 chars', { body: { clientKey: 'ok', reason: long(201) } }),
    bad('reason', 'reason 5', { body: { clientKey: 'ok', reason: 5 } }),
  ],
  revokeWithReason: [
    ...PATH_CASES,
    bad('reason', 'empty reason', { body: { reason: '' } }),
    bad('reason', 'reason of 201 chars', { body: { reason: long(201) } }),
    bad('reason', 'reason ["x"]', { body: { reason: ['x'] } }),
    bad('reason', 'reason with a NUL', { body: { reason: 'a\u0000b' } }),
    bad('admin', 'unknown field', { body: { reason: 'ok', admin: true } }),
    bad('body', 'invalid JSON', { body: '{"reason":', contentType: json }),
  ],
  revocations: [
    ...LIMIT_CASES,
    bad('status', 'status=revoked', { query: 'status=revoked' }),
    bad('status', 'status=PENDING', { query: 'status=PENDING' }),
    bad('cursor', 'a cursor (the outbox is not paged)', {
      query: (c) => `cursor=${q(c.acmeTokens)}`,
    }),
    ...PATH_CASES.filter((c) => c.tenant !== undefined),
  ],
  retryRevocations: [
    bad('tokenId', 'tokenId abc', { body: { tokenId: 'abc' } }),
    bad('tokenId', 'tokenId 5', { body: { tokenId: 5 } }),
    bad('admin', 'unknown field', { body: { admin: true } }),
    bad('body', 'JSON null', { body: 'null', contentType: json }),
    ...PATH_CASES.filter((c) => c.tenant !== undefined),
  ],
  access: PATH_CASES.filter((c) => c.tenant !== undefined),
  summary: PATH_CASES.filter((c) => c.tenant !== undefined),
  events: [
    ...LIMIT_CASES,
    ...CURSOR_CASES,
    bad('status', 'status filter', { query: 'status=active' }),
    bad('cursor', "the tokens list's cursor", { query: (c) => `cursor=${q(c.acmeTokens)}` }),
    bad('cursor', "globex's cursor", { query: (c) => `cursor=${q(c.globexEvents)}` }),
  ],
};
