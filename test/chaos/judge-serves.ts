import type { SfsSandboxTokenInfo } from '../../src/sandbox';
import type { TokenRow } from './facts';
import type { ServeRecord } from './ledger';
import type { ChaosMeasures, MeasureInput } from './measures';
import { isoTime as iso } from './timing';

/** Cache invalidation across instances (LISTEN/NOTIFY) is not instantaneous: this much is allowed. */
export const REVOKED_SERVE_SLACK_MS = 1000;

/**
 * Per token handed out: expired served (see {@link expiredReason}); served within the lead (less
 * than the effective refresh lead left at receipt, informational); served after revocation (the
 * request was sent more than {@link REVOKED_SERVE_SLACK_MS} after the database recorded the
 * token's `revoke_requested`); revoked without a logout (401 on use, revoked at the sandbox, and
 * no logout of the subject had started by then).
 */
export function judgeServes(
  input: MeasureInput,
  m: ChaosMeasures,
  rows: Map<string, TokenRow>,
): void {
  for (const serve of input.ledger.serves) {
    const info = input.sandbox.byToken.get(serve.token);
    const margin = info ? info.expiresAt - serve.receivedAt : Number.NEGATIVE_INFINITY;
    m.minMarginMs = Math.min(m.minMarginMs, margin);
    const expired = expiredReason(serve, info);
    if (expired) {
      m.expiredServed++;
      m.evidence.push({
        kind: 'expired-served',
        detail: { why: expired, ...describe(serve, info) },
      });
      continue;
    }
    if (margin < input.leadMs) m.servedWithinLead++;
    const requested = rows.get(serve.tokenId)?.revokeRequestedAt ?? null;
    if (requested !== null && requested + REVOKED_SERVE_SLACK_MS < serve.startedAt) {
      m.servedAfterRevocation++;
      m.evidence.push({
        kind: 'served-after-revocation',
        detail: { revokeRequestedAt: iso(requested), ...describe(serve, info) },
      });
    }
    if (serve.useStatus === 401 && info?.revokedAt !== undefined) {
      const byLogout = input.ledger
        .logoutsOf(serve.tenantId, serve.userId)
        .some((l) => l.startedAt <= (info.revokedAt as number));
      if (!byLogout) {
        m.unexpectedRevocations++;
        m.evidence.push({ kind: 'revoked-without-logout', detail: describe(serve, info) });
      }
    }
  }
}

/**
 * Expired served: the sandbox does not know the token, or its sandbox expiry is at or before the
 * moment the load generator received it, or the protected call made right after answered 401
 * while the token was not revoked (so it was expired).
 */
function expiredReason(serve: ServeRecord, info: SfsSandboxTokenInfo | undefined): string | null {
  if (!info) return 'unknown to the sandbox';
  if (info.expiresAt <= serve.receivedAt) return 'expired when received';
  const revokedBeforeAnswer =
    info.revokedAt !== undefined && info.revokedAt <= (serve.usedDoneAt ?? Number.MAX_VALUE);
  if (serve.useStatus === 401 && !revokedBeforeAnswer) return 'rejected as expired when used';
  return null;
}

/**
 * Logouts missed: a token served before a logout of its subject was sent, still live when the
 * logout answered 204, that the database never moved to `revoking`/`revoked` (the logout was
 * acknowledged but did not revoke it).
 */
export function judgeLogouts(
  input: MeasureInput,
  m: ChaosMeasures,
  rows: Map<string, TokenRow>,
): void {
  const missed = new Set<string>();
  for (const serve of input.ledger.serves) {
    const info = input.sandbox.byToken.get(serve.token);
    const row = rows.get(serve.tokenId);
    if (!info || !row || row.status === 'revoking' || row.status === 'revoked') continue;
    const logout = input.ledger
      .logoutsOf(serve.tenantId, serve.userId)
      .find(
        (l) => l.status === 204 && l.startedAt > serve.receivedAt && info.expiresAt > l.endedAt,
      );
    if (logout && !missed.has(serve.tokenId)) {
      missed.add(serve.tokenId);
      m.evidence.push({
        kind: 'logout-missed',
        detail: { logoutAt: iso(logout.startedAt), via: logout.instance, ...describe(serve, info) },
      });
    }
  }
  m.logoutsMissed = missed.size;
}

function describe(
  serve: ServeRecord,
  info: SfsSandboxTokenInfo | undefined,
): Record<string, unknown> {
  return {
    tokenId: serve.tokenId,
    key: `${serve.tenantId}/${serve.clientKey}/${serve.userId}`,
    via: serve.instance,
    requestedAt: iso(serve.startedAt),
    receivedAt: iso(serve.receivedAt),
    useStatus: serve.useStatus,
    sfsIssuedAt: iso(info?.issuedAt ?? null),
    sfsExpiresAt: iso(info?.expiresAt ?? null),
    sfsRevokedAt: iso(info?.revokedAt ?? null),
  };
}
