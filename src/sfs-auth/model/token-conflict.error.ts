import { SfsAuthError } from '../errors/sfs-auth.error';
import type { SfsTokenKey } from './token-record';

/**
 * An `active` token could not be inserted because another active row already holds its key (the
 * one-active-token-per-key index). Nothing was written; the caller still holds a freshly minted
 * token and should revoke it. Does not happen to callers that insert under `withKeyLock` after
 * `findActive`, since every other path that creates active rows retires one first.
 */
export class SfsTokenConflictError extends SfsAuthError {
  constructor(key: SfsTokenKey, tokenId: string) {
    super(
      'TOKEN_CONFLICT',
      `token ${tokenId} not inserted: another active token exists for client ${key.clientKey} of tenant ${key.tenantId}`,
      true,
      {
        tenantId: key.tenantId,
        clientKey: key.clientKey,
        subjectId: key.subjectId ?? undefined,
        tokenId,
      },
    );
  }
}

/** True for the unique violation of the one-active-token-per-key index. */
export function sfsIsActiveKeyViolation(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'ux_sfs_client_token_active_key';
}
