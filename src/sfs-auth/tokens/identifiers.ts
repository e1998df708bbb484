import { SfsInvalidInputError } from '../errors/sfs-auth.error';

/** Identifiers (`tenantId`, `clientKey`, `subjectId`) everywhere: 1–128 chars of `[A-Za-z0-9._:@-]`. */
export const SFS_IDENTIFIER_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

/** Throws {@link SfsInvalidInputError} naming `field` unless `value` is a valid identifier. */
export function assertIdentifier(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new SfsInvalidInputError(field, 'must be a string');
  if (!SFS_IDENTIFIER_PATTERN.test(value)) {
    throw new SfsInvalidInputError(field, 'must be 1-128 characters of [A-Za-z0-9._:@-]');
  }
}

/** Like {@link assertIdentifier}, but `undefined` and `null` pass (optional fields). */
export function assertOptionalIdentifier(
  field: string,
  value: unknown,
): asserts value is string | undefined | null {
  if (value !== undefined && value !== null) assertIdentifier(field, value);
}
