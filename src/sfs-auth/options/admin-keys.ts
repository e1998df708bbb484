import { SFS_IDENTIFIER_PATTERN, SFS_IDENTIFIER_RULE } from '../model/identifiers';

/** Shortest static admin key accepted. */
export const SFS_MIN_ADMIN_KEY_LENGTH = 16;

/**
 * A parsed static admin key: for one tenant, or `*` for all; read-only when named `<tenant>/read`.
 *
 * @inline
 */
export interface SfsAdminKeyEntry {
  readonly tenantId: string;
  readonly key: string;
  /** The key may read, not act (`acme/read=key`; `*` with the suffix for every tenant). @default false */
  readonly readOnly?: boolean;
}

/** The suffix of a read-only key's name (`/` is not an identifier character: never ambiguous). */
const READ_ONLY_SUFFIX = '/read';

/** Stands for the tenant of an entry written without `=`: most likely a key alone, never shown. */
const NO_TENANT = Symbol('no tenant');

/**
 * Parses `tenantId=key,...` (or a record) into entries; `tenantId/read=key` is a read-only key.
 * Problems name the tenant and position, never a key.
 */
export function parseAdminKeys(
  input: string | Readonly<Record<string, string>> | null | undefined,
): {
  keys: SfsAdminKeyEntry[];
  problems: string[];
} {
  if (input === undefined || input === null || input === '') return { keys: [], problems: [] };
  if (typeof input !== 'string' && !isRecord(input)) {
    return {
      keys: [],
      problems: ['admin.keys (SFS_ADMIN_KEYS) must be `tenantId=key,...` or a record of keys'],
    };
  }
  const pairs: Array<[string | typeof NO_TENANT, unknown]> =
    typeof input === 'string'
      ? input
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part.length > 0)
          .map((part) => {
            const at = part.indexOf('=');
            return at < 0
              ? [NO_TENANT, part]
              : [part.slice(0, at).trim(), part.slice(at + 1).trim()];
          })
      : Object.entries(input);
  const keys: SfsAdminKeyEntry[] = [];
  const problems: string[] = [];
  pairs.forEach(([name, key], index) => {
    const where = `admin.keys (SFS_ADMIN_KEYS) entry ${index + 1}`;
    if (name === NO_TENANT) {
      problems.push(`${where}: must be tenantId=key (no '=' found)`);
      return;
    }
    const readOnly = name.endsWith(READ_ONLY_SUFFIX);
    const tenantId = readOnly ? name.slice(0, -READ_ONLY_SUFFIX.length) : name;
    if (tenantId !== '*' && !SFS_IDENTIFIER_PATTERN.test(tenantId)) {
      problems.push(`${where}: tenant must be '*' or an identifier (${SFS_IDENTIFIER_RULE})`);
    } else if (typeof key !== 'string' || key.length < SFS_MIN_ADMIN_KEY_LENGTH) {
      problems.push(
        `${where} (tenant ${tenantId}): key must be at least ${SFS_MIN_ADMIN_KEY_LENGTH} characters`,
      );
    } else {
      keys.push(readOnly ? { tenantId, key, readOnly } : { tenantId, key });
    }
  });
  return { keys, problems };
}

/** A plain object (not an array, a Map, a Date...), as a record of keys is. */
function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
