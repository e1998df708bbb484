import { randomBytes } from 'node:crypto';
import { SfsAuthConfigError } from '../errors/sfs-auth.error';
import { parseEncryptionKeys } from '../options/encryption-keys';
import { SfsKeyRing } from './key-ring';

describe('SfsKeyRing', () => {
  const b64 = () => randomBytes(32).toString('base64');

  it('seals with the first key, holds every key, anchors fingerprints on the last', () => {
    const { keys } = parseEncryptionKeys(`new:${b64()},mid:${b64()},old:${b64()}`);
    const ring = new SfsKeyRing(keys);
    expect(ring.current.id).toBe('new');
    expect(ring.ids).toEqual(['new', 'mid', 'old']);
    expect(ring.get('old')?.equals(keys[2].key)).toBe(true);
    expect(ring.get('gone')).toBeUndefined();
    expect(ring.fingerprintAnchorId).toBe('old');
    expect(ring.fingerprintKey).toHaveLength(32);
    expect(keys.some((k) => k.key.equals(ring.fingerprintKey))).toBe(false);
  });

  it.each([
    ['an empty ring', []],
    ['a short key', [{ id: 'k', key: randomBytes(16) }]],
    [
      'a duplicate id',
      [
        { id: 'k', key: randomBytes(32) },
        { id: 'k', key: randomBytes(32) },
      ],
    ],
  ])('refuses %s with a config error', (_what, keys) => {
    expect(() => new SfsKeyRing(keys)).toThrow(SfsAuthConfigError);
  });

  it('names the offending key in its config errors, never its material', () => {
    const short = randomBytes(16);
    expect(() => new SfsKeyRing([])).toThrow(
      expect.objectContaining({ problems: ['encryptionKeys (SFS_ENCRYPTION_KEYS) holds no key'] }),
    );
    expect(() => new SfsKeyRing([{ id: 'k', key: short }])).toThrow(
      expect.objectContaining({ problems: ["encryptionKeys: key 'k' must be 32 bytes"] }),
    );
    const twice = [
      { id: 'k', key: randomBytes(32) },
      { id: 'k', key: randomBytes(32) },
    ];
    expect(() => new SfsKeyRing(twice)).toThrow(
      expect.objectContaining({ problems: ["encryptionKeys: id 'k' is used twice"] }),
    );
  });

  it('copies its keys: changing the caller’s buffer later changes nothing', () => {
    const key = randomBytes(32);
    const original = Buffer.from(key);
    const ring = new SfsKeyRing([{ id: 'k', key }]);
    key.fill(0);
    expect(ring.get('k')?.equals(original)).toBe(true);
    expect(ring.current.key.equals(original)).toBe(true);
  });
});

describe('parseEncryptionKeys', () => {
  const k = () => randomBytes(32);

  it('reads a string ring with spaces, empty entries, standard and url-safe base64', () => {
    const [a, b] = [k(), k()];
    const input = ` a:${a.toString('base64')} ,, b:${b.toString('base64url')} ,`;
    const { keys, problems } = parseEncryptionKeys(input);
    expect(problems).toEqual([]);
    expect(keys.map((x) => x.id)).toEqual(['a', 'b']);
    expect(keys[0].key.equals(a)).toBe(true);
    expect(keys[1].key.equals(b)).toBe(true);
  });

  it('reads a list of { id, key } entries', () => {
    const a = k();
    const { keys } = parseEncryptionKeys([{ id: 'a', key: a.toString('base64') }]);
    expect(keys).toEqual([{ id: 'a', key: a }]);
  });

  it.each<[string, string[]]>([
    [
      '',
      ['encryptionKeys (SFS_ENCRYPTION_KEYS) is required: `id:base64key,...` with 32-byte keys'],
    ],
    ['nokeyid', ["encryptionKeys entry 1: id must be 1-32 chars of [A-Za-z0-9_-] followed by ':'"]],
    [
      `${'i'.repeat(33)}:${Buffer.alloc(32).toString('base64')}`,
      ["encryptionKeys entry 1: id must be 1-32 chars of [A-Za-z0-9_-] followed by ':'"],
    ],
    ['a:', ["encryptionKeys entry 1 (id 'a'): key must be 32 bytes in base64 (got 0 bytes)"]],
    [
      `a:${Buffer.alloc(32).toString('base64')}!`,
      ["encryptionKeys entry 1 (id 'a'): key must be 32 bytes in base64 (got 0 bytes)"],
    ],
    [
      `!a:${Buffer.alloc(32).toString('base64')}`,
      ["encryptionKeys entry 1: id must be 1-32 chars of [A-Za-z0-9_-] followed by ':'"],
    ],
    [
      `a:!${Buffer.alloc(32).toString('base64')}`,
      ["encryptionKeys entry 1 (id 'a'): key must be 32 bytes in base64 (got 0 bytes)"],
    ],
    [
      `a:${Buffer.alloc(33).toString('base64')}`,
      ["encryptionKeys entry 1 (id 'a'): key must be 32 bytes in base64 (got 33 bytes)"],
    ],
  ])('reports %j exactly', (input, expected) => {
    const { keys, problems } = parseEncryptionKeys(input);
    expect(keys).toEqual([]);
    expect(problems).toEqual(expected);
  });

  it('accepts a 32-character id, and reports a duplicate id with its position', () => {
    const id = 'i'.repeat(32);
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(parseEncryptionKeys(`${id}:${key}`).problems).toEqual([]);
    expect(parseEncryptionKeys(`x:${key},x:${key}`).problems).toEqual([
      "encryptionKeys entry 2: id 'x' is used twice",
    ]);
  });
});
