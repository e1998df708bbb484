import { fieldWithNul, jsonTextTooDeep, valueTooDeep } from './admin-body.limits';

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
  });

  it('names the first field holding a NUL, in keys and values, nested or not', () => {
    expect(fieldWithNul({ subjectId: 'nobody', reason: 'a\u0000b' })).toBe('reason');
    expect(fieldWithNul({ a: { b: ['ok', 'x\u0000'] } })).toBe('a.b[1]');
    expect(fieldWithNul({ 'k\u0000': 'v' })).toBe('body');
    expect(fieldWithNul('\u0000')).toBe('body');
    expect(fieldWithNul({ reason: 'fine', n: 5, m: null })).toBeUndefined();
  });
});
