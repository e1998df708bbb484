import type { DbRestartOutcome, KillOutcome } from './disruptions';
import type { SandboxFacts, TokenRow } from './facts';
import { judgeLateAnswers, judgeMints, judgeRaces } from './judge-mints';
import { judgeRevocations } from './judge-revocations';
import { judgeLogouts, judgeServes } from './judge-serves';
import type { ChaosLedger } from './ledger';

/** A violation with what it concerns, for the evidence file and the report. */
export interface Evidence {
  readonly kind: string;
  readonly detail: Record<string, unknown>;
}

/** Time windows in which a mint may be lost by the infrastructure rather than by the module. */
export interface LossWindows {
  readonly kill: KillOutcome | null;
  readonly db: DbRestartOutcome | null;
  /** Longest one SFS call sequence can take (attempts × timeout + backoff). */
  readonly callSequenceMs: number;
}

/** The figures of a run. `evidence` lists every violation (and every excused lost mint). */
export interface ChaosMeasures {
  expiredServed: number;
  doubleMints: number;
  lostRevocations: number;
  /** Tokens SFS issued after the module's timeout, read late and recorded `revoking`. */
  lateAnswers: number;
  /** …of which SFS still accepts at the end. */
  lateTokensUnrevoked: number;
  revokeP50Ms: number;
  revokeP99Ms: number;
  requests: number;
  /** Informational figures (table only). */
  servedAfterRevocation: number;
  servedWithinLead: number;
  minMarginMs: number;
  unexpectedRevocations: number;
  mints: number;
  mintsLostToKill: number;
  orphansRevoked: number;
  doubleMintsDuringDbRestart: number;
  /** Rows born `revoking` because their key changed while SFS minted them. */
  raceLostMints: number;
  /** …of which no logout of the subject can explain (a concurrent claim or refresh won). */
  raceLostWithoutLogout: number;
  /** Rows that expired with no replacement while their key was in use (refresh missed). */
  refreshMisses: number;
  logoutsMissed: number;
  revocationsMeasured: number;
  revocationsExpiredFirst: number;
  pendingRevocationsAtEnd: number;
  /** Revocations queued after the drain (mints in flight at the end): not judged. */
  queuedAfterDrain: number;
  evidence: Evidence[];
}

/** What the judgement needs. `leadMs` is the effective refresh lead of the profile. */
export interface MeasureInput {
  readonly ledger: ChaosLedger;
  readonly sandbox: SandboxFacts;
  readonly rows: readonly TokenRow[];
  readonly windows: LossWindows;
  readonly leadMs: number;
  /** When the backlog had drained, and whether the sandbox accepted a token at that moment. */
  readonly drainedAt: number;
  /** Whether the token row was `revoking` or `revoked` (committed) when the drain was checked. */
  readonly revokedAtDrain: (tokenId: string) => boolean;
  readonly liveAtDrain: (token: string) => boolean;
}

/** Judges a run (each figure is defined where it is judged: `judge-*.ts`). */
export function computeMeasures(input: MeasureInput): ChaosMeasures {
  const m: ChaosMeasures = {
    expiredServed: 0,
    doubleMints: 0,
    lostRevocations: 0,
    lateAnswers: 0,
    lateTokensUnrevoked: 0,
    revokeP50Ms: -1,
    revokeP99Ms: -1,
    requests: input.ledger.serves.length,
    servedAfterRevocation: 0,
    servedWithinLead: 0,
    minMarginMs: Number.POSITIVE_INFINITY,
    unexpectedRevocations: 0,
    mints: input.sandbox.mints.length,
    mintsLostToKill: 0,
    orphansRevoked: 0,
    doubleMintsDuringDbRestart: 0,
    raceLostMints: 0,
    raceLostWithoutLogout: 0,
    refreshMisses: input.rows.filter((r) => r.status === 'expired' && r.replacedBy === null).length,
    logoutsMissed: 0,
    revocationsMeasured: 0,
    revocationsExpiredFirst: 0,
    pendingRevocationsAtEnd: input.rows.filter((r) => r.outbox !== null).length,
    queuedAfterDrain: 0,
    evidence: [],
  };
  const rowsById = new Map(input.rows.map((r) => [r.id, r]));
  judgeServes(input, m, rowsById);
  judgeMints(input, m);
  judgeRaces(input, m);
  judgeLateAnswers(input, m);
  judgeRevocations(input, m);
  judgeLogouts(input, m, rowsById);
  if (!Number.isFinite(m.minMarginMs)) m.minMarginMs = -1;
  return m;
}
