import { randomBytes } from 'node:crypto';
import { SfsAuthConfigError } from '../errors/sfs-auth.error';
import { parseEncryptionKeys } from './encryption-keys';
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
});
