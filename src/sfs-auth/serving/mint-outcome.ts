import { SfsAuthError } from '../errors/sfs-auth.error';
import type { SfsTokenRecord } from '../model/token-record';
import type { SfsMetricOperation, SfsMetricOutcome } from '../options/metrics-recorder';
import type { SfsSpanResult } from '../tracing/sfs-tracer';

/** A token ready to serve, decrypted. */
export interface SfsServableToken {
  readonly tokenId: string;
  readonly accessToken: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** What `SfsTokenMinter` did. */
export type SfsMintOutcome =
  | { kind: 'found'; token: SfsServableToken }
  | { kind: 'minted'; token: SfsServableToken; replaced: string | null }
  | { kind: 'skipped'; reason: string }
  /** A revocation changed the row while we minted: the new token went to the revocation outbox. */
  | { kind: 'lost'; tokenId: string };

/** Decides, holding the key's lease, what to do with the key's current active row. */
export type SfsMintDecision = (
  current: SfsTokenRecord | null,
  now: number,
) => 'reuse' | 'mint' | 'skip' | Promise<'reuse' | 'mint' | 'skip'>;

/**
 * A first mint is not retried by the module (the caller gets the error): `failed`. A refresh is
 * retried by the worker unless the error is permanent, the same rule the refresh service applies.
 */
export function sfsMintFailureOutcome(
  operation: SfsMetricOperation,
  error: unknown,
): SfsMetricOutcome {
  if (operation === 'mint') return 'failed';
  return error instanceof SfsAuthError && !error.retryable ? 'failed' : 'retry';
}

/**
 * The mint span's result, identifiers only (the outcome also holds the token itself):
 * `sfs_auth.token_id` is the token found or replaced, `sfs_auth.new_token_id` the one minted.
 */
export function sfsMintSpanResult(outcome: SfsMintOutcome): SfsSpanResult {
  switch (outcome.kind) {
    case 'found':
      return { outcome: 'found', attributes: { 'sfs_auth.token_id': outcome.token.tokenId } };
    case 'minted':
      return {
        outcome: 'minted',
        attributes: {
          'sfs_auth.token_id': outcome.replaced ?? undefined,
          'sfs_auth.new_token_id': outcome.token.tokenId,
        },
      };
    case 'lost':
      return { outcome: 'lost', attributes: { 'sfs_auth.new_token_id': outcome.tokenId } };
    case 'skipped':
      return { outcome: 'skipped' };
  }
}
