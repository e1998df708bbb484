import type { SfsEncryptionKeyInput } from './sfs-auth-options.interface';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** A parsed key ring entry. */
export interface SfsEncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * Parses `id:base64key,...` (or a list) into 32-byte keys. Problems are returned, not thrown, and
 * never contain key material.
 */
export function parseEncryptionKeys(input: string | SfsEncryptionKeyInput[] | undefined): {
  keys: SfsEncryptionKey[];
  problems: string[];
} {
  if (input !== undefined && input !== null && typeof input !== 'string' && !Array.isArray(input)) {
    return {
      keys: [],
      problems: [
        'encryptionKeys (SFS_ENCRYPTION_KEYS) must be `id:base64key,...` or a list of { id, key }',
      ],
    };
  }
  const problems: string[] = [];
  const entries: unknown[] =
    typeof input === 'string'
      ? input
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
          .map((part) => {
            const colon = part.indexOf(':');
            return colon < 0
              ? { id: '', key: part }
              : { id: part.slice(0, colon), key: part.slice(colon + 1) };
          })
      : // Array.from turns a sparse list's holes into undefined entries, each reported below.
        Array.from(input ?? []);
  if (entries.length === 0) {
    problems.push(
      'encryptionKeys (SFS_ENCRYPTION_KEYS) is required: `id:base64key,...` with 32-byte keys',
    );
  }
  const keys: SfsEncryptionKey[] = [];
  const seen = new Set<string>();
  entries.forEach((given, index) => {
    const where = `encryptionKeys entry ${index + 1}`;
    const entry = (typeof given === 'object' && given !== null ? given : {}) as Partial<
      Record<keyof SfsEncryptionKeyInput, unknown>
    >;
    if (typeof entry.id !== 'string' || !KEY_ID.test(entry.id)) {
      problems.push(`${where}: id must be 1-32 chars of [A-Za-z0-9_-] followed by ':'`);
      return;
    }
    if (seen.has(entry.id)) problems.push(`${where}: id '${entry.id}' is used twice`);
    seen.add(entry.id);
    const key =
      typeof entry.key === 'string' && /^[A-Za-z0-9+/_-]+={0,2}$/.test(entry.key)
        ? Buffer.from(entry.key, 'base64')
        : Buffer.alloc(0);
    if (key.length !== 32) {
      problems.push(
        `${where} (id '${entry.id}'): key must be 32 bytes in base64 (got ${key.length} bytes)`,
      );
      return;
    }
    keys.push({ id: entry.id, key });
  });
  return { keys, problems };
}
