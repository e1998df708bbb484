import { SfsAuthError } from './sfs-auth.error';
import { sfsDriverCode, sfsErrorCode, sfsErrorDetail, sfsErrorForLog } from './safe-error';

const secretful = 'connect to postgres://app:s3cret@db.internal:5432/app failed';
const withCode = (code: unknown) => Object.assign(new Error(secretful), { code });

describe('sfsDriverCode', () => {
  it.each<[string, unknown, string | undefined]>([
    ['a socket error', withCode('ECONNREFUSED'), 'ECONNREFUSED'],
    ['a SQLSTATE', withCode('57P01'), '57P01'],
    [
      "a wrapper's driver error",
      Object.assign(new Error(secretful), { driverError: { code: '55000' } }),
      '55000',
    ],
    [
      "a fetch failure's cause",
      new TypeError('fetch failed', { cause: withCode('ECONNRESET') }),
      'ECONNRESET',
    ],
    ['a code that is free text', withCode(secretful), undefined],
    ['a code that is not a string', withCode(42), undefined],
    ['an error without code', new Error(secretful), undefined],
    ['a thrown string', secretful, undefined],
    ['null', null, undefined],
  ])('%s → %s', (_, error, code) => {
    expect(sfsDriverCode(error)).toBe(code);
  });
});

describe('sfsErrorCode, sfsErrorDetail, sfsErrorForLog', () => {
  const ours = new SfsAuthError('SFS_UNAVAILABLE', 'tenant t: SFS answered 503', true, {
    tenantId: 't',
  });

  it('say our own code (and, for logs, our own message)', () => {
    expect(sfsErrorCode(ours)).toBe('SFS_UNAVAILABLE');
    expect(sfsErrorForLog(ours)).toBe('SFS_UNAVAILABLE tenant t: SFS answered 503');
  });

  it("give a foreign error's class name and code, never its message", () => {
    const foreign = withCode('57P01');
    foreign.name = 'QueryFailedError';
    for (const text of [sfsErrorCode(foreign), sfsErrorDetail(foreign), sfsErrorForLog(foreign)]) {
      expect(text).not.toContain('s3cret');
    }
    expect(sfsErrorCode(foreign)).toBe('QueryFailedError');
    expect(sfsErrorDetail(foreign)).toBe('QueryFailedError 57P01');
    expect(sfsErrorForLog(foreign)).toBe('QueryFailedError 57P01');
  });

  it('fall back to "error" for what is not an error', () => {
    for (const thrown of [secretful, null, undefined, 42]) {
      expect(sfsErrorCode(thrown)).toBe('error');
      expect(sfsErrorDetail(thrown)).toBe('error');
    }
  });
});
