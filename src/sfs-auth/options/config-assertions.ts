import { SfsAuthConfigError } from '../errors/sfs-auth.error';

// The configuration checks made where an option meets what it configures, once, at boot (or when
// a host constructs a component itself), rather than in `resolve-sfs-auth-options.ts`, which
// checks the options object as a whole. Each throws SfsAuthConfigError: every configuration error
// of the module is thrown from this folder.

/** The host's DataSource is PostgreSQL. */
export function sfsAssertPostgres<T extends { readonly type: string }>(
  options: T,
): asserts options is T & { readonly type: 'postgres' } {
  if (options.type !== 'postgres') {
    throw new SfsAuthConfigError([
      `nestjs-sfs-auth needs a postgres DataSource (got '${options.type}')`,
    ]);
  }
}

/** The admin API, once enabled, has an authorizer: the host's, or the static keys. */
export function sfsAssertAdminAuthorizer(admin: {
  readonly authorizer?: unknown;
  readonly keys: readonly unknown[];
}): void {
  if (admin.authorizer || admin.keys.length > 0) return;
  throw new SfsAuthConfigError([
    'the admin API is enabled (adminApi: true) but has no authorizer: set admin.authorizer, ' +
      'or admin.keys (SFS_ADMIN_KEYS) for the static-key authorizer',
  ]);
}

/** `value`, the optional peer package (or object) a component needs; `missing` says which. */
export function sfsRequirePeer<T>(value: T | null | undefined, missing: string): T {
  if (value === undefined || value === null) throw new SfsAuthConfigError([missing]);
  return value;
}

/** A key ring's keys: at least one, 32 bytes each, each id once. */
export function sfsAssertKeyRing(keys: ReadonlyArray<{ id: string; key: Buffer }>): void {
  if (keys.length === 0) {
    throw new SfsAuthConfigError(['encryptionKeys (SFS_ENCRYPTION_KEYS) holds no key']);
  }
  const ids = new Set<string>();
  for (const { id, key } of keys) {
    if (key.length !== 32) {
      throw new SfsAuthConfigError([`encryptionKeys: key '${id}' must be 32 bytes`]);
    }
    if (ids.has(id)) throw new SfsAuthConfigError([`encryptionKeys: id '${id}' is used twice`]);
    ids.add(id);
  }
}

/** An SFS call's URL is https (`baseUrl` allows nothing else; this guards every call). */
export function sfsAssertHttps(url: URL, path: string): void {
  if (url.protocol !== 'https:' || !path.startsWith('/')) {
    throw new SfsAuthConfigError([
      `SFS calls must use https:// (refusing ${url.protocol}// for ${path})`,
    ]);
  }
}
