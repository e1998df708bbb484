import { SfsInvalidInputError } from '../errors/sfs-auth.error';
import { assertIdentifier, assertOptionalIdentifier } from './identifiers';

describe('assertIdentifier', () => {
  it.each([
    'a',
    'tenant-1',
    'user@example.com',
    'org:42.team_x',
    'x'.repeat(128),
    '.a',
    'a..',
    '...-',
  ])('accepts %j', (value) => {
    expect(() => assertIdentifier('tenantId', value)).not.toThrow();
  });

  it.each([
    ['', /tenantId must be 1-128/],
    ['x'.repeat(129), /tenantId must be 1-128/],
    ["a'; DROP TABLE x;--", /tenantId must be 1-128/],
    ['a b', /tenantId must be 1-128/],
    ['ünï', /tenantId must be 1-128/],
    ['.', /tenantId must be 1-128 .*, not dots alone/],
    ['..', /tenantId must be 1-128/],
    ['.'.repeat(128), /tenantId must be 1-128/],
    [42, /tenantId must be a string/],
    [null, /tenantId must be a string/],
    [{ $ne: 1 }, /tenantId must be a string/],
  ])('rejects %j naming the field', (value, message) => {
    expect(() => assertIdentifier('tenantId', value)).toThrow(SfsInvalidInputError);
    expect(() => assertIdentifier('tenantId', value)).toThrow(message);
  });

  it('lets optional identifiers be absent but not invalid', () => {
    expect(() => assertOptionalIdentifier('subjectId', undefined)).not.toThrow();
    expect(() => assertOptionalIdentifier('subjectId', null)).not.toThrow();
    expect(() => assertOptionalIdentifier('subjectId', '')).toThrow(/subjectId/);
  });
});
