import { parseAdminKeys } from '../options/admin-keys';
import { createHash } from 'node:crypto';
import { sfsAdminKeyLabel, SfsStaticKeyAdminAuthorizer } from './static-key.authorizer';
import { illTyped } from '../../../test/support/ill-typed';

const ACME = 'acme-key-0123456789abcdef';
const ALL = 'all-tenants-0123456789abcdef';
const authorizer = new SfsStaticKeyAdminAuthorizer([
  { tenantId: 'acme', key: ACME },
  { tenantId: '*', key: ALL },
]);
const request = (authorization?: string | string[]) => ({
  headers: { authorization },
  method: 'GET',
  path: '/x',
  raw: null,
});

describe('SfsStaticKeyAdminAuthorizer', () => {
  it.each([
    ['no header', undefined, 'acme', { allowed: false, reason: 'unauthenticated' }],
    ['Basic scheme', `Basic ${ACME}`, 'acme', { allowed: false, reason: 'unauthenticated' }],
    [
      'unknown key',
      'Bearer nope-nope-nope-nope',
      'acme',
      { allowed: false, reason: 'unauthenticated' },
    ],
    [
      'near miss (case)',
      `Bearer ${ACME.toUpperCase()}`,
      'acme',
      { allowed: false, reason: 'unauthenticated' },
    ],
    [
      'near miss (prefix)',
      `Bearer ${ACME.slice(0, -1)}`,
      'acme',
      { allowed: false, reason: 'unauthenticated' },
    ],
    [
      'repeated header',
      [`Bearer ${ACME}`, `Bearer ${ACME}`],
      'acme',
      { allowed: false, reason: 'unauthenticated' },
    ],
    [
      'tenant key, other tenant',
      `Bearer ${ACME}`,
      'globex',
      { allowed: false, reason: 'forbidden' },
    ],
  ])('%s → denied', (_, header, tenant, expected) => {
    expect(authorizer.authorize(request(header), tenant)).toEqual(expected);
  });

  it('allows a tenant key on its tenant and the * key everywhere, naming the key without revealing it', () => {
    const acme = authorizer.authorize(request(`Bearer ${ACME}`), 'acme');
    const all = authorizer.authorize(request(`bearer  ${ALL}`), 'globex');
    expect(acme).toEqual({
      allowed: true,
      actor: expect.stringMatching(/^admin:key:acme#[0-9a-f]{8}$/),
    });
    expect(all).toEqual({
      allowed: true,
      actor: expect.stringMatching(/^admin:key:\*#[0-9a-f]{8}$/),
    });
    expect(JSON.stringify([acme, all])).not.toMatch(/0123456789/);
  });

  it('offboarding a tenant takes the * key: its own tenant key is forbidden', () => {
    const offboard = (header: string, tenant: string) =>
      authorizer.authorize({ ...request(header), action: 'offboard-tenant' }, tenant);
    expect(offboard(`Bearer ${ACME}`, 'acme')).toEqual({ allowed: false, reason: 'forbidden' });
    expect(offboard(`Bearer ${ACME}`, 'globex')).toEqual({ allowed: false, reason: 'forbidden' });
    expect(offboard('Bearer nope-nope-nope-nope', 'acme')).toEqual({
      allowed: false,
      reason: 'unauthenticated',
    });
    expect(offboard(`Bearer ${ALL}`, 'acme')).toEqual({
      allowed: true,
      actor: expect.stringMatching(/^admin:key:\*#[0-9a-f]{8}$/),
    });
  });
});

describe('parseAdminKeys', () => {
  it('parses tenant=key pairs and * for every tenant', () => {
    expect(parseAdminKeys(` acme=${ACME} , *=${ALL}`)).toEqual({
      keys: [
        { tenantId: 'acme', key: ACME },
        { tenantId: '*', key: ALL },
      ],
      problems: [],
    });
    expect(parseAdminKeys({ globex: ACME }).keys).toEqual([{ tenantId: 'globex', key: ACME }]);
    expect(parseAdminKeys(undefined)).toEqual({ keys: [], problems: [] });
  });

  it('reports every bad entry without echoing any key', () => {
    const { keys, problems } = parseAdminKeys('acme=short-secret,bad tenant=' + ALL + ',noequals');
    expect(keys).toEqual([]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/entry 1 \(tenant acme\): key must be at least 16/);
    expect(problems[1]).toMatch(/entry 2: tenant must be/);
    expect(problems.join('\n')).not.toContain('short-secret');
    expect(problems.join('\n')).not.toContain(ALL);
  });

  it('reports each kind of bad entry exactly, naming its position', () => {
    expect(parseAdminKeys('')).toEqual({ keys: [], problems: [] });
    expect(parseAdminKeys(`,, acme = ${ACME} ,`).keys).toEqual([{ tenantId: 'acme', key: ACME }]);
    expect(parseAdminKeys(`acme=${'k'.repeat(16)}`).keys).toEqual([
      { tenantId: 'acme', key: 'k'.repeat(16) },
    ]);
    expect(parseAdminKeys(`acme=${ACME},acme=${'k'.repeat(15)},=${ALL},noequals`).problems).toEqual(
      [
        'admin.keys (SFS_ADMIN_KEYS) entry 2 (tenant acme): key must be at least 16 characters',
        "admin.keys (SFS_ADMIN_KEYS) entry 3: tenant must be '*' or an identifier (1-128 characters of [A-Za-z0-9._:@-], not dots alone)",
        "admin.keys (SFS_ADMIN_KEYS) entry 4: must be tenantId=key (no '=' found)",
      ],
    );
    expect(parseAdminKeys({ acme: illTyped<string>(42) }).problems).toEqual([
      'admin.keys (SFS_ADMIN_KEYS) entry 1 (tenant acme): key must be at least 16 characters',
    ]);
  });

  it("labels a key by an HMAC under the server's secret: stable with it, not a hash of the key", () => {
    const secret = Buffer.alloc(32, 7);
    const entries = [{ tenantId: '*', key: ALL }];
    const actorOf = (labelSecret?: Buffer) => {
      const decision = new SfsStaticKeyAdminAuthorizer(entries, { labelSecret }).authorize(
        request(`Bearer ${ALL}`),
        'acme',
      );
      return decision.allowed ? decision.actor : '';
    };
    const bare = createHash('sha256').update(ALL).digest('hex');
    expect(actorOf(secret)).toBe(sfsAdminKeyLabel('*', ALL, secret));
    expect(actorOf(secret)).toBe(actorOf(Buffer.alloc(32, 7)));
    expect(actorOf(secret)).not.toBe(actorOf(Buffer.alloc(32, 8)));
    for (const actor of [actorOf(secret), actorOf()]) {
      expect(bare.startsWith(actor.split('#')[1])).toBe(false);
    }
  });
});

describe('read-only static keys (`<tenant>/read=key`)', () => {
  const READ = 'acme-read-only-0123456789';
  const ALL_READ = 'all-read-only-0123456789';
  const parsed = parseAdminKeys(`acme=${ACME},acme/read=${READ},*/read=${ALL_READ},*=${ALL}`);
  const withReaders = new SfsStaticKeyAdminAuthorizer(parsed.keys);

  it('parses the suffix into a read-only entry of the tenant (or of every tenant)', () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.keys.map(({ tenantId, readOnly }) => [tenantId, readOnly === true])).toEqual([
      ['acme', false],
      ['acme', true],
      ['*', true],
      ['*', false],
    ]);
    expect(parseAdminKeys('acme/write=0123456789abcdef0').problems).toEqual([
      expect.stringContaining("tenant must be '*' or an identifier"),
    ]);
  });

  it('allows a read-only key with readOnly set, and never for offboarding', () => {
    expect(withReaders.authorize(request(`Bearer ${READ}`), 'acme')).toEqual({
      allowed: true,
      actor: expect.stringMatching(/^admin:key:acme#/),
      readOnly: true,
    });
    expect(withReaders.authorize(request(`Bearer ${READ}`), 'globex')).toEqual({
      allowed: false,
      reason: 'forbidden',
    });
    expect(withReaders.authorize(request(`Bearer ${ALL_READ}`), 'globex')).toMatchObject({
      allowed: true,
      readOnly: true,
    });
    const offboard = { ...request(`Bearer ${ALL_READ}`), action: 'offboard-tenant' as const };
    expect(withReaders.authorize(offboard, 'globex')).toEqual({
      allowed: false,
      reason: 'forbidden',
    });
    expect(withReaders.authorize(request(`Bearer ${ACME}`), 'acme')).not.toHaveProperty('readOnly');
  });
});
