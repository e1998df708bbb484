import { SfsInvalidInputError } from '../errors/sfs-auth.error';
import {
  assertIdentifier,
  assertOptionalIdentifier,
  sfsIsIdentifier,
  sfsIsUuid,
} from './identifiers';

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

describe('sfsIsIdentifier and sfsIsUuid', () => {
  it.each(['a', 'org:42.team_x', 'x'.repeat(128)])('%j is an identifier', (value) => {
    expect(sfsIsIdentifier(value)).toBe(true);
  });

  it.each(['', '..', 'a b', 'x'.repeat(129), 42, null, undefined, ['a'], { toString: () => 'a' }])(
    '%j is not an identifier',
    (value) => {
      expect(sfsIsIdentifier(value)).toBe(false);
    },
  );

  it.each(['2f1c6a7e-0b4d-4c3e-9a51-7d2e8f9b0c1d', '2F1C6A7E-0B4D-4C3E-9A51-7D2E8F9B0C1D'])(
    '%j is a UUID',
    (value) => {
      expect(sfsIsUuid(value)).toBe(true);
    },
  );

  it.each([
    '2f1c6a7e-0b4d-4c3e-9a51-7d2e8f9b0c1',
    '2f1c6a7e0b4d4c3e9a517d2e8f9b0c1d',
    'g f1c6a7e-0b4d-4c3e-9a51-7d2e8f9b0c1d',
    '',
    42,
    null,
    ['2f1c6a7e-0b4d-4c3e-9a51-7d2e8f9b0c1d'],
  ])('%j is not a UUID', (value) => {
    expect(sfsIsUuid(value)).toBe(false);
  });
});
