import type { SfsEncryptionKeyInput } from './sfs-auth-options.interface';
import { parseEncryptionKeys } from './encryption-keys';

// Fixed keys: test titles name inputs, and Stryker's incremental report matches tests by title.
const KEY = Buffer.alloc(32, 0xa7).toString('base64');
const SHAPE =
  'encryptionKeys (SFS_ENCRYPTION_KEYS) must be `id:base64key,...` or a list of { id, key }';
const REQUIRED =
  'encryptionKeys (SFS_ENCRYPTION_KEYS) is required: `id:base64key,...` with 32-byte keys';
const BAD_ID = "encryptionKeys entry 1: id must be 1-32 chars of [A-Za-z0-9_-] followed by ':'";

/** Inputs of a type the parameter does not admit (they come from JavaScript callers and config). */
const untyped = (value: unknown) => value as string;

describe('parseEncryptionKeys', () => {
  it('reads `id:base64key,...` and a list of { id, key } alike', () => {
    const other = Buffer.alloc(32, 0xfb).toString('base64url');
    const fromText = parseEncryptionKeys(` k1:${KEY} , ,k2:${other}`);
    const list: SfsEncryptionKeyInput[] = [
      { id: 'k1', key: KEY },
      { id: 'k2', key: other },
    ];
    expect(fromText).toEqual(parseEncryptionKeys(list));
    expect(fromText.problems).toEqual([]);
    expect(fromText.keys.map((k) => [k.id, k.key.toString('base64')])).toEqual([
      ['k1', KEY],
      ['k2', Buffer.from(other, 'base64url').toString('base64')],
    ]);
  });

  it.each([42, true, {}, { id: 'k1', key: KEY }])(
    'refuses %j with the one problem naming the two shapes',
    (input) => {
      expect(parseEncryptionKeys(untyped(input))).toEqual({ keys: [], problems: [SHAPE] });
    },
  );

  it.each([undefined, null, '', ' , ', []])('asks for %j to be given', (input) => {
    expect(parseEncryptionKeys(untyped(input))).toEqual({ keys: [], problems: [REQUIRED] });
  });

  it.each([KEY, `:${KEY}`, `bad id:${KEY}`, `${'i'.repeat(33)}:${KEY}`])(
    'refuses the entry %j for its id, without echoing the key',
    (input) => {
      const { keys, problems } = parseEncryptionKeys(input);
      expect(keys).toEqual([]);
      expect(problems).toEqual([BAD_ID]);
    },
  );

  it('refuses a key that is not base64, even when a lenient decoder would make 32 bytes of it', () => {
    // Buffer.from skips the '*': the text decodes to 32 bytes, but it is not what was meant.
    const mangled = `${KEY.slice(0, 10)}*${KEY.slice(10)}`;
    expect(Buffer.from(mangled, 'base64')).toHaveLength(32);
    expect(parseEncryptionKeys(`k1:${mangled}`)).toEqual({
      keys: [],
      problems: ["encryptionKeys entry 1 (id 'k1'): key must be 32 bytes in base64 (got 0 bytes)"],
    });
  });

  it('names short keys, ids used twice, entries that are not objects and keys that are not text, in order', () => {
    const { keys, problems } = parseEncryptionKeys(
      untyped([
        { id: 'a', key: 'c2hvcnQ=' },
        null,
        { id: 'b', key: KEY },
        { id: 'b', key: KEY },
        { id: 'c', key: 12345678 },
      ]),
    );
    expect(keys.map((k) => k.id)).toEqual(['b', 'b']);
    expect(problems).toEqual([
      "encryptionKeys entry 1 (id 'a'): key must be 32 bytes in base64 (got 5 bytes)",
      "encryptionKeys entry 2: id must be 1-32 chars of [A-Za-z0-9_-] followed by ':'",
      "encryptionKeys entry 4: id 'b' is used twice",
      "encryptionKeys entry 5 (id 'c'): key must be 32 bytes in base64 (got 0 bytes)",
    ]);
  });
});
