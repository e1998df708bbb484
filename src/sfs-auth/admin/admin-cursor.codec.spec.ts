import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
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

  describe('malformed tags and bodies are a typed INVALID_INPUT, never a RangeError', () => {
    const fixed = new SfsKeyRing([{ id: 'k1', key: Buffer.alloc(32, 7) }]);
    const fixedCodec = new SfsAdminCursorCodec(fixed);
    const cursor = fixedCodec.encode(scope, position);
    const [body, tag] = cursor.split('.');
    /** A correctly tagged body of our choosing (the derivation is pinned by test/golden). */
    const forge = (forgedBody: string) => {
      const key = Buffer.from(
        hkdfSync(
          'sha256',
          fixed.fingerprintKey,
          Buffer.alloc(0),
          'nestjs-sfs-auth/admin-cursor',
          32,
        ),
      );
      const mac = createHmac('sha256', key).update(forgedBody).digest().subarray(0, 16);
      return `${forgedBody}.${mac.toString('base64url')}`;
    };
    const rejected = (candidate: unknown) => {
      let thrown: unknown;
      try {
        fixedCodec.decode(scope, candidate as string);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SfsInvalidInputError);
      expect(thrown).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'cursor',
        retryable: false,
        message: 'cursor is invalid or was issued for another query',
      });
    };

    it('accepts the canonical cursor', () => {
      expect(tag).toHaveLength(22);
      expect(fixedCodec.decode(scope, cursor)).toEqual(position);
      expect(fixedCodec.decode(scope, forge(body))).toEqual(position);
    });

    it.each([
      ['shorter', () => tag.slice(0, 21)],
      ['much shorter', () => tag.slice(0, 8)],
      ['longer', () => `${tag}AAAA`],
      ['one byte longer', () => `${tag}AA`],
    ])('rejects a %s tag', (_what, make) => {
      rejected(`${body}.${make()}`);
    });

    it('rejects every other spelling of the same tag bytes (last char, padding, junk)', () => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const bytes = Buffer.from(tag, 'base64url');
      const lastCharVariants = [...alphabet]
        .map((c) => `${tag.slice(0, -1)}${c}`)
        .filter((t) => t !== tag && Buffer.from(t, 'base64url').equals(bytes));
      expect(lastCharVariants).toHaveLength(15); // 16 last chars decode alike, one is ours
      const standard = tag.replace(/-/g, '+').replace(/_/g, '/');
      const spellings = [
        ...lastCharVariants,
        `${tag}==`,
        `${tag}=`,
        `${tag}!`,
        `${tag} `,
        `${tag}\n`,
        ` ${tag}`,
        ...(standard === tag ? [] : [standard]),
      ];
      for (const spelling of spellings) {
        expect(Buffer.from(spelling, 'base64url').equals(bytes)).toBe(true);
        rejected(`${body}.${spelling}`);
      }
    });

    it('rejects a well-tagged cursor over 1024 characters, and accepts one of 1023', () => {
      // A canonical cursor is 23 + a base64url length (never 1 mod 4): 1023 and 1025 exist, 1024 not.
      const sized = (length: number) => {
        let made = '';
        for (let pad = 0; made.length < length && pad < 1000; pad++) {
          made = fixedCodec.encode(scope, { ...position, pad: 'x'.repeat(pad) });
        }
        return made;
      };
      const at1023 = sized(1023);
      expect(at1023).toHaveLength(1023);
      expect(fixedCodec.decode(scope, at1023)).toMatchObject(position);
      const at1025 = sized(1025);
      expect(at1025).toHaveLength(1025);
      rejected(at1025);
    });

    it.each([
      ['a non-JSON body', () => forge(Buffer.from('{not json', 'utf8').toString('base64url'))],
      ['a JSON null body', () => forge(Buffer.from('null').toString('base64url'))],
      ['a body without scope', () => forge(Buffer.from('{"p":1}').toString('base64url'))],
      ['an empty tag', () => `${body}.`],
      ['an empty body', () => `.${tag}`],
      ['a number', () => 42],
      ['undefined', () => undefined],
    ])('rejects %s', (_what, make) => {
      rejected(make());
    });
  });
});
