import type { DbRestartOutcome, KillOutcome } from './disruptions';
import type { ChaosMeasures, Evidence } from './measures';

/** The `RESULT` line's object: exactly these numeric keys, in this order. */
export interface ChaosResult {
  expiredServed: number;
  doubleMints: number;
  lostRevocations: number;
  lateAnswers: number;
  lateTokensUnrevoked: number;
  resumeAfterKillMs: number;
  resumeAfterDbRestartMs: number;
  revokeP50Ms: number;
  revokeP99Ms: number;
  requests: number;
  tokens: number;
  tenants: number;
}

/** Everything the report shows besides the measures. */
export interface ChaosRunInfo {
  readonly profile: string;
  readonly seed: number;
  readonly database: string;
  readonly keys: number;
  readonly tenants: number;
  readonly lifetimeSeconds: number;
  readonly bootMs: readonly number[];
  readonly warmUpMs: number;
  readonly stormMs: number;
  readonly logoutsSent: number;
  readonly failedServes: ReadonlyMap<string, number>;
  readonly failovers: number;
  readonly faultedShare: number;
  readonly sfsCalls: number;
  readonly kill: KillOutcome | null;
  readonly db: DbRestartOutcome | null;
  readonly drainMs: number;
  readonly wallMs: number;
  readonly evidenceFile: string | null;
}

/** The RESULT object of a run. */
export function chaosResult(m: ChaosMeasures, run: ChaosRunInfo): ChaosResult {
  return {
    expiredServed: m.expiredServed,
    doubleMints: m.doubleMints,
    lostRevocations: m.lostRevocations,
    lateAnswers: m.lateAnswers,
    lateTokensUnrevoked: m.lateTokensUnrevoked,
    resumeAfterKillMs: Math.round(run.kill?.resumeMs ?? -1),
    resumeAfterDbRestartMs: Math.round(run.db?.resumeMs ?? -1),
    revokeP50Ms: Math.round(m.revokeP50Ms),
    revokeP99Ms: Math.round(m.revokeP99Ms),
    requests: m.requests,
    tokens: run.keys,
    tenants: run.tenants,
  };
}

const s = (ms: number) => (ms < 0 ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);

/** The human-readable table (one `label  value  note` row per line). */
export function formatReport(m: ChaosMeasures, run: ChaosRunInfo, verdict: string): string {
  const failed = [...run.failedServes].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  const k = run.kill;
  const rows: Array<[string, string | number, string?]> = [
    ['profile', run.profile, `seed ${run.seed}; ${run.database}`],
    [
      'tenants / token keys',
      `${run.tenants} / ${run.keys}`,
      `client lifetime ${run.lifetimeSeconds} s`,
    ],
    ['instance boot', run.bootMs.map((ms) => s(ms)).join(', ')],
    ['warm-up (every key served once)', s(run.warmUpMs)],
    [
      'storm',
      s(run.stormMs),
      `${run.sfsCalls} token-API calls, ${pct(run.faultedShare)} failed by design`,
    ],
    ['tokens served (requests)', m.requests, `failed: ${failed}; failovers ${run.failovers}`],
    ['client tokens minted at SFS', m.mints],
    [
      'EXPIRED SERVED',
      m.expiredServed,
      'sandbox expiry <= receipt, or 401 on use while not revoked',
    ],
    ['  served within the lead', m.servedWithinLead, `min margin left ${s(m.minMarginMs)}`],
    ['  served after revocation request', m.servedAfterRevocation, '> 1 s after revoke_requested'],
    ['  revoked without a logout', m.unexpectedRevocations],
    ['DOUBLE MINTS', m.doubleMints, 'minted at SFS, in no database row, not excused below'],
    [
      '  of which during the DB restart',
      m.doubleMintsDuringDbRestart,
      'issued while PostgreSQL was down',
    ],
    ['  not counted: lost to the SIGKILL', m.mintsLostToKill, 'in flight in the killed process'],
    [
      '  not counted: unrecorded, revoked',
      m.orphansRevoked,
      'the module revoked what it could not store',
    ],
    [
      '  not counted: lost a race',
      m.raceLostMints,
      `born 'revoking', revoked at SFS; ${m.raceLostWithoutLogout} with no logout under way`,
    ],
    ['late answers', m.lateAnswers, 'SFS issued a token after the timeout; read and recorded'],
    ['LATE TOKENS UNREVOKED', m.lateTokensUnrevoked, 'of those, still accepted by SFS at the end'],
    ['refreshes missed', m.refreshMisses, 'rows that expired with no replacement'],
    ['LOST REVOCATIONS', m.lostRevocations, 'revoked in the DB, still accepted by SFS'],
    [
      '  pending at the end',
      m.pendingRevocationsAtEnd,
      `outbox drained in ${s(run.drainMs)}; ${m.queuedAfterDrain} queued after the drain (not judged)`,
    ],
    ['logouts sent', run.logoutsSent, `${m.logoutsMissed} tokens missed by a 204 logout`],
    [
      'revocation latency p50 / p99',
      `${m.revokeP50Ms} / ${m.revokeP99Ms} ms`,
      `${m.revocationsMeasured} tokens; ${m.revocationsExpiredFirst} expired before SFS revoked`,
    ],
    [
      'resume after SIGKILL',
      s(k?.resumeMs ?? -1),
      k
        ? `${k.victim} pid ${k.pid}: ${k.leasedRefreshes} leased rows + ${k.leasedRevocations} ` +
          `outbox rows, ${k.expiredUnrefreshed} expired unrefreshed; restart ${s(k.restartBootMs)}`
        : '',
    ],
    [
      'resume after DB restart',
      s(run.db?.resumeMs ?? -1),
      run.db ? `down ${s(run.db.upAt - run.db.stopAt)}` : '',
    ],
    ['wall time', s(run.wallMs), verdict],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => String(value).length));
  const lines = rows.map(
    ([label, value, note]) =>
      `${label.padEnd(width)}  ${String(value).padStart(valueWidth)}${note ? `  ${note}` : ''}`,
  );
  return ['', 'chaos: results', ...lines, ...evidenceLines(m.evidence, run.evidenceFile)].join(
    '\n',
  );
}

function evidenceLines(evidence: readonly Evidence[], file: string | null): string[] {
  if (evidence.length === 0) return [];
  const byKind = new Map<string, Evidence[]>();
  for (const e of evidence) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e]);
  const lines = ['', `evidence (${evidence.length} items${file ? `, all in ${file}` : ''}):`];
  for (const [kind, items] of byKind) {
    lines.push(`  ${kind}: ${items.length}`);
    for (const item of items.slice(0, 3)) lines.push(`    ${JSON.stringify(item.detail)}`);
  }
  return lines;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/** `RESULT {json}`: the last line of the output. */
export function formatResultLine(result: ChaosResult): string {
  return `RESULT ${JSON.stringify(result)}`;
}
