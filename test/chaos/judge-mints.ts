import type { ChaosMeasures, MeasureInput } from './measures';
import { isoTime as iso } from './timing';

/** `revoke_reason` of a token minted while its row was changed (the minter's 'lost' outcome). */
const RACE_LOST_REASON = 'revoked while being refreshed';

/**
 * Double mints: successful `client.create` calls whose token no database row holds (matched by
 * fingerprint): paid for and thrown away, so that refresh was minted again. Not counted: a mint
 * made with the platform token of the SIGKILLed process (never used again after the kill) and
 * issued at most `callSequenceMs` before the kill (a process cannot survive its own death), and
 * an unrecorded token the sandbox shows revoked (the module disposed of it). Of those counted,
 * the ones issued while PostgreSQL was stopping or down (2 s before the stop to `callSequenceMs`
 * after it was back) are shown apart.
 */
export function judgeMints(input: MeasureInput, m: ChaosMeasures): void {
  const recorded = new Set(input.rows.map((r) => r.fingerprint));
  const fingerprintOf = new Map<string, string>();
  for (const [fp, info] of input.sandbox.byFingerprint) fingerprintOf.set(info.token, fp);
  const { kill, db, callSequenceMs } = input.windows;
  for (const mint of input.sandbox.mints) {
    if (recorded.has(fingerprintOf.get(mint.token) ?? '')) continue;
    const issued = mint.info.issuedAt;
    const lastUse = input.sandbox.platformLastUse.get(mint.platformToken) ?? 0;
    const inDbWindow =
      db !== null && issued >= db.stopAt - 2000 && issued <= db.upAt + callSequenceMs;
    const detail = {
      seq: mint.seq,
      clientKey: mint.info.clientKey,
      arrivedAt: iso(mint.at),
      issuedAt: iso(issued),
      sfsRevokedAt: iso(mint.info.revokedAt),
      platformToken: `…${mint.platformToken.slice(-6)}`,
      platformTokenLastUsed: iso(lastUse),
      duringDbRestart: inDbWindow,
    };
    if (kill && lastUse <= kill.killAt + 1000 && issued >= kill.killAt - callSequenceMs) {
      m.mintsLostToKill++;
      m.evidence.push({ kind: 'mint-lost-to-kill', detail });
    } else if (mint.info.revokedAt !== undefined) {
      m.orphansRevoked++;
      m.evidence.push({ kind: 'unrecorded-mint-revoked', detail });
    } else {
      m.doubleMints++;
      if (inDbWindow) m.doubleMintsDuringDbRestart++;
      m.evidence.push({ kind: 'double-mint', detail });
    }
  }
}

/** `revoke_reason` of a token SFS issued after the request's timeout (the late-answer recorder's). */
const LATE_ANSWER_REASON = 'SFS answered after the timeout';

/**
 * Late answers: tokens SFS issued in an answer after the module's timeout, which the module read
 * and recorded `revoking`; unrevoked are those SFS still accepts at the end (not expired).
 */
export function judgeLateAnswers(input: MeasureInput, m: ChaosMeasures): void {
  for (const row of input.rows) {
    if (row.revokeReason !== LATE_ANSWER_REASON) continue;
    m.lateAnswers++;
    const info = input.sandbox.byFingerprint.get(row.fingerprint);
    // Recorded after the outbox drained (a late answer is read up to lateAnswerGraceMs): queued
    // after the drain, like any revocation then, and not judged.
    if (row.issuedAt >= input.drainedAt) {
      m.queuedAfterDrain++;
      continue;
    }
    if (info && info.revokedAt === undefined && info.expiresAt > input.drainedAt) {
      m.lateTokensUnrevoked++;
      m.evidence.push({
        kind: 'late-token-unrevoked',
        detail: { tokenId: row.id, issuedAt: iso(info.issuedAt), expiresAt: iso(info.expiresAt) },
      });
    }
  }
}

/** Race-lost mints, split by whether a logout of the subject was under way while SFS minted. */
export function judgeRaces(input: MeasureInput, m: ChaosMeasures): void {
  const window = input.windows.callSequenceMs;
  for (const row of input.rows) {
    if (row.revokeReason !== RACE_LOST_REASON) continue;
    m.raceLostMints++;
    const logouts = input.ledger.logoutsOf(row.tenantId, row.subjectId ?? '');
    const explained = logouts.some(
      (l) => l.startedAt <= row.issuedAt + 1000 && l.endedAt >= row.issuedAt - window,
    );
    if (explained) continue;
    m.raceLostWithoutLogout++;
    m.evidence.push({
      kind: 'race-lost-without-logout',
      detail: {
        tokenId: row.id,
        key: `${row.tenantId}/${row.clientKey}/${row.subjectId}`,
        issuedAt: iso(row.issuedAt),
        mintedBy: row.revokeRequestedBy,
      },
    });
  }
}
