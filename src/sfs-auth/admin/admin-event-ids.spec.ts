import { randomBytes } from 'node:crypto';
import { SfsKeyRing } from '../crypto/key-ring';
import { SfsInvalidInputError } from '../errors/sfs-auth.error';
import { SfsAdminEventIds } from './admin-event-ids';

const ring = (key = randomBytes(32)) => new SfsKeyRing([{ id: 'k1', key }]);

describe('SfsAdminEventIds (audit event ids shown to admins)', () => {
  it('gives every instance on one key ring the same opaque id, distinct per tenant and row', () => {
    const key = randomBytes(32);
    const [a, b] = [new SfsAdminEventIds(ring(key)), new SfsAdminEventIds(ring(key))];
    expect(a.publicId('acme', '41')).toBe(b.publicId('acme', '41'));
    expect(a.publicId('acme', '41')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.publicId('acme', '41')).not.toBe(a.publicId('acme', '42'));
    expect(a.publicId('acme', '41')).not.toBe(a.publicId('globex', '41'));
    expect(new SfsAdminEventIds(ring()).publicId('acme', '41')).not.toBe(a.publicId('acme', '41'));
  });

  it('seals a page position that opens only for its tenant, on any instance of the ring', () => {
    const key = randomBytes(32);
    const [a, b] = [new SfsAdminEventIds(ring(key)), new SfsAdminEventIds(ring(key))];
    const sealed = a.sealPosition('acme', '9007199254740993');
    expect(sealed).not.toContain('9007');
    expect(b.openPosition('acme', sealed)).toBe('9007199254740993');
    expect(() => b.openPosition('globex', sealed)).toThrow(SfsInvalidInputError);
  });

  it.each([
    ['a number', 42],
    ['empty', ''],
    ['too short', 'AAAA'],
    ['one bit flipped', 'flip'],
  ])('refuses a position that is %s, as an invalid cursor', (_, given) => {
    const ids = new SfsAdminEventIds(ring());
    const sealed = ids.sealPosition('acme', '7');
    const position =
      given === 'flip'
        ? `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.at(-1)}`
        : given;
    expect(() => ids.openPosition('acme', position)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', field: 'cursor' }),
    );
  });
});
