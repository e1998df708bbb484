import { randomBytes } from 'node:crypto';
import { SfsKeyRing } from '../crypto/key-ring';
import { SfsInvalidInputError } from '../errors/sfs-auth.error';
import { SfsAdminCursorCodec, type SfsCursorScope } from './admin-cursor.codec';

const ring = (key = randomBytes(32)) => new SfsKeyRing([{ id: 'k1', key }]);
const scope: SfsCursorScope = { list: 'tokens', tenantId: 'acme', filter: '["active",null,null]' };
const position = {
  createdAt: '2026-11-28T12:00:00.123456Z',
  id: '8a1f0c1e-0000-4000-8000-000000000001',
};

describe('SfsAdminCursorCodec', () => {
  const key = randomBytes(32);
  const codec = new SfsAdminCursorCodec(ring(key));

  it('round-trips a position, and another instance with the same key ring accepts it', () => {
    const cursor = codec.encode(scope, position);
    expect(codec.decode(scope, cursor)).toEqual(position);
    expect(new SfsAdminCursorCodec(ring(key)).decode(scope, cursor)).toEqual(position);
  });

  it.each([
    ['another tenant', { ...scope, tenantId: 'globex' }],
    ['other filters', { ...scope, filter: '[null,null,null]' }],
    ['another list', { ...scope, list: 'events' as const }],
  ])('rejects a cursor used for %s', (_, other) => {
    const cursor = codec.encode(scope, position);
    expect(() => codec.decode(other, cursor)).toThrow(SfsInvalidInputError);
  });

  it('rejects tampered, foreign and malformed cursors naming the field', () => {
    const cursor = codec.encode(scope, position);
    const [body, tag] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify({ s: scope, p: { ...position, id: 'x' } })).toString(
      'base64url',
    );
    const bad = [
      `${forged}.${tag}`,
      `${body}.${tag.slice(0, -2)}AA`,
      `${body}`,
      `${body}.${tag}.x`,
      new SfsAdminCursorCodec(ring()).encode(scope, position),
      'x'.repeat(600),
      '',
    ];
    for (const candidate of bad) {
      expect(() => codec.decode(scope, candidate)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', field: 'cursor' }),
      );
    }
  });
});
