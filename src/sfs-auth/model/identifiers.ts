import { SfsInvalidInputError } from '../errors/sfs-auth.error';

/**
 * Identifiers (`tenantId`, `clientKey`, `subjectId`) everywhere: 1–128 chars of `[A-Za-z0-9._:@-]`,
 * not dots alone (`.` and `..` are path segments a proxy normalises away).
 */
export const SFS_IDENTIFIER_PATTERN = /^(?!\.+$)[A-Za-z0-9._:@-]{1,128}$/;

/** How messages state the identifier rule. */
export const SFS_IDENTIFIER_RULE = '1-128 characters of [A-Za-z0-9._:@-], not dots alone';

/** Token ids are UUIDs (any version, either case). */
export const SFS_UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is an identifier (see {@link SFS_IDENTIFIER_PATTERN}). */
export function sfsIsIdentifier(value: unknown): value is string {
  return typeof value === 'string' && SFS_IDENTIFIER_PATTERN.test(value);
}

/** Whether `value` is a UUID. Ids come from URLs too: a malformed one matches nothing. */
export function sfsIsUuid(value: unknown): value is string {
  return typeof value === 'string' && SFS_UUID_PATTERN.test(value);
}

/** Throws {@link SfsInvalidInputError} naming `field` unless `value` is a valid identifier. */
export function assertIdentifier(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new SfsInvalidInputError(field, 'must be a string');
  if (!SFS_IDENTIFIER_PATTERN.test(value)) {
    throw new SfsInvalidInputError(field, `must be ${SFS_IDENTIFIER_RULE}`);
  }
}

/** Like {@link assertIdentifier}, but `undefined` and `null` pass (optional fields). */
export function assertOptionalIdentifier(
  field: string,
  value: unknown,
): asserts value is string | undefined | null {
  if (value !== undefined && value !== null) assertIdentifier(field, value);
}
