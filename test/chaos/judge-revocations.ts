import type { LogoutRecord } from './ledger';
import type { ChaosMeasures, MeasureInput } from './measures';
import { isoTime as iso, percentile } from './timing';

/**
 * Lost revocations: rows the database holds as `revoking` or `revoked`, queued before the
 * backlog drained (faults off, outbox empty twice), whose token the sandbox still accepted at
 * that moment; plus rows the database holds as `revoked` although the sandbox never revoked the
 * token and it was still live then (a confirmation SFS never gave).
 *
 * Revocation latency: from the logout request being sent to the sandbox marking the token
 * revoked (its registry's `revokedAt`, the real moment SFS stops accepting it), over the tokens
 * of demo logouts that were still live at that moment; tokens that expired first are counted
 * apart.
 */
export function judgeRevocations(input: MeasureInput, m: ChaosMeasures): void {
  const latencies: number[] = [];
  for (const row of input.rows) {
    if (row.status !== 'revoking' && row.status !== 'revoked') continue;
    const info = input.sandbox.byFingerprint.get(row.fingerprint);
    if (!info) continue;
    // The outbox was empty at `drainedAt`, so a token SFS revoked only after that moment was
    // queued after it, whatever time its row carries: the row is stamped before its transaction
    // commits, and a late answer recorded as the drain was checked committed just after (its
    // revocation then reached SFS 57 ms later; the full profile judged it lost once in three runs).
    // A row stamped before the drain check but committed after it is not in the check's snapshot:
    // queued after the drain too, whether or not SFS revoked it before the instances stopped.
    const revokedAfterDrain = info.revokedAt !== undefined && info.revokedAt > input.drainedAt;
    const backlog =
      row.revokeRequestedAt !== null &&
      row.revokeRequestedAt <= input.drainedAt &&
      input.revokedAtDrain(row.id) &&
      !revokedAfterDrain;
    if (!backlog) m.queuedAfterDrain++;
    const accepted = backlog && input.liveAtDrain(info.token);
    const unconfirmed =
      row.status === 'revoked' &&
      info.revokedAt === undefined &&
      row.revokedAt !== null &&
      info.expiresAt > row.revokedAt;
    if (accepted || unconfirmed) {
      m.lostRevocations++;
      m.evidence.push({
        kind: 'lost-revocation',
        detail: {
          why: accepted ? 'still accepted after the drain' : 'revoked in the database only',
          tokenId: row.id,
          tenantId: row.tenantId,
          subjectId: row.subjectId,
          status: row.status,
          reason: row.revokeReason,
          confirmedBy: row.confirmedBy,
          requestedAt: iso(row.revokeRequestedAt),
          dbRevokedAt: iso(row.revokedAt),
          sfsExpiresAt: iso(info.expiresAt),
          sfsRevokedAt: info.revokedAt === undefined ? null : iso(info.revokedAt),
          drainedAt: iso(input.drainedAt),
        },
      });
    }
    if (row.revokeReason !== 'demo logout' || row.revokeRequestedAt === null) continue;
    const logout = latestLogoutBefore(
      input.ledger.logoutsOf(row.tenantId, row.subjectId ?? ''),
      row.revokeRequestedAt,
    );
    if (!logout) continue;
    if (info.revokedAt !== undefined && info.revokedAt < info.expiresAt) {
      latencies.push(info.revokedAt - logout.startedAt);
    } else {
      m.revocationsExpiredFirst++;
    }
  }
  m.revocationsMeasured = latencies.length;
  m.revokeP50Ms = percentile(latencies, 50);
  m.revokeP99Ms = percentile(latencies, 99);
}

function latestLogoutBefore(logouts: readonly LogoutRecord[], at: number): LogoutRecord | null {
  let found: LogoutRecord | null = null;
  // Instances and driver share one clock; 50 ms covers the event being stamped before the send.
  for (const l of logouts) if (l.startedAt <= at + 50) found = l;
  return found;
}
