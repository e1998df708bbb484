import { SfsInvalidInputError } from '../errors/sfs-auth.error';
import { assertIdentifier, assertOptionalIdentifier, sfsIsUuid } from './identifiers';
import type { SfsTokenKey } from './token-record';

/**
 * What a host asks a token for.
 *
 * @group Tokens
 * @publicApi
 */
export interface SfsClientTokenRequest {
  /** The host's tenant (1–128 characters of `[A-Za-z0-9._:@-]`, as every identifier). */
  tenantId: string;
  /** The tenant's SFS client. */
  clientKey: string;
  /** A user or session; omitted for the tenant's shared service token of that client. */
  subjectId?: string | null;
}

/**
 * Which tokens to revoke, within one tenant (all live tokens matching every given field).
 *
 * @group Tokens
 * @publicApi
 */
export interface SfsRevokeRequest {
  /** The tenant; alone, every live token of the tenant. */
  tenantId: string;
  /** One token record (`SfsClientToken.tokenId`). */
  tokenId?: string;
  /** The tokens of one SFS client. */
  clientKey?: string;
  /** The tokens of one subject (user or session). */
  subjectId?: string;
}

/** Validates and normalises a token request into a key. */
export function toTokenKey(input: SfsClientTokenRequest): SfsTokenKey {
  if (typeof input !== 'object' || input === null)
    throw new SfsInvalidInputError('request', 'must be an object');
  assertIdentifier('tenantId', input.tenantId);
  assertIdentifier('clientKey', input.clientKey);
  assertOptionalIdentifier('subjectId', input.subjectId);
  return {
    tenantId: input.tenantId,
    clientKey: input.clientKey,
    subjectId: input.subjectId ?? null,
  };
}

/** Validates a revocation request and its reason. */
export function checkRevokeRequest(input: SfsRevokeRequest, reason: unknown): string {
  if (typeof input !== 'object' || input === null)
    throw new SfsInvalidInputError('request', 'must be an object');
  assertIdentifier('tenantId', input.tenantId);
  assertOptionalIdentifier('clientKey', input.clientKey);
  assertOptionalIdentifier('subjectId', input.subjectId);
  if (input.tokenId !== undefined) assertTokenId(input.tokenId);
  if (typeof reason !== 'string' || reason.length < 1 || reason.length > 200) {
    throw new SfsInvalidInputError('reason', 'must be 1-200 characters');
  }
  // PostgreSQL refuses NUL in text: a 400 here, not a failed statement later.
  if (reason.includes('\u0000')) {
    throw new SfsInvalidInputError('reason', 'must not contain NUL characters');
  }
  return reason;
}

/** Throws unless `value` is a UUID (token ids are). */
export function assertTokenId(value: unknown): asserts value is string {
  if (!sfsIsUuid(value)) throw new SfsInvalidInputError('tokenId', 'must be a UUID');
}
