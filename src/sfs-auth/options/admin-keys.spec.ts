import { parseAdminKeys } from './admin-keys';

const KEY = 'k'.repeat(16);
const SHAPE = 'admin.keys (SFS_ADMIN_KEYS) must be `tenantId=key,...` or a record of keys';

/** Inputs of a type the parameter does not admit (they come from JavaScript callers and config). */
const untyped = (value: unknown) => value as string;

describe('parseAdminKeys', () => {
  it.each([undefined, null, '', ' , ,'])('reads %j as no keys and no problem', (input) => {
    expect(parseAdminKeys(untyped(input))).toEqual({ keys: [], problems: [] });
  });

  it('reads `tenantId=key,...`, skipping empty and blank entries, as it reads a record', () => {
    const parsed = parseAdminKeys(` acme = ${KEY} ,, \t ,*/read=${KEY}x,`);
    expect(parsed).toEqual({
      keys: [
        { tenantId: 'acme', key: KEY },
        { tenantId: '*', key: `${KEY}x`, readOnly: true },
      ],
      problems: [],
    });
    expect(parseAdminKeys({ acme: KEY, '*/read': `${KEY}x` })).toEqual(parsed);
  });

  it('takes a record without a prototype as a record', () => {
    const record = Object.assign(Object.create(null) as Record<string, string>, { acme: KEY });
    expect(parseAdminKeys(record)).toEqual({
      keys: [{ tenantId: 'acme', key: KEY }],
      problems: [],
    });
  });

  it.each([
    ['a number', 42],
    ['a boolean', true],
    ['a list', [['acme', KEY]]],
    ['a Map', new Map([['acme', KEY]])],
    ['a Date', new Date(0)],
  ])('refuses %s with the one problem naming the two shapes', (_, input) => {
    expect(parseAdminKeys(untyped(input))).toEqual({ keys: [], problems: [SHAPE] });
  });

  it('names each bad entry by position and tenant, never by key', () => {
    const { keys, problems } = parseAdminKeys(`${KEY}, bad tenant=${KEY}, acme=short, ok=${KEY}`);
    expect(keys).toEqual([{ tenantId: 'ok', key: KEY }]);
    expect(problems).toEqual([
      "admin.keys (SFS_ADMIN_KEYS) entry 1: must be tenantId=key (no '=' found)",
      'admin.keys (SFS_ADMIN_KEYS) entry 2: tenant must be ' +
        "'*' or an identifier (1-128 characters of [A-Za-z0-9._:@-], not dots alone)",
      'admin.keys (SFS_ADMIN_KEYS) entry 3 (tenant acme): key must be at least 16 characters',
    ]);
    expect(problems.join(' ')).not.toContain(KEY);
  });
});
