import type { SfsSandboxTokenInfo } from '../../src/sandbox';
import type { TokenRow } from './facts';
import { judgeRevocations } from './judge-revocations';
import type { ChaosMeasures, MeasureInput } from './measures';

const DRAINED_AT = 100_000;

function row(id: string, fields: Partial<TokenRow> = {}): TokenRow {
  return {
    id,
    tenantId: 't01',
    clientKey: 'c1',
    subjectId: 'u001',
    status: 'revoked',
    fingerprint: `fp-${id}`,
    issuedAt: DRAINED_AT - 60,
    revokedAt: DRAINED_AT + 57,
    revokeReason: 'SFS answered after the timeout',
    replacedBy: null,
    revokeRequestedAt: DRAINED_AT - 2,
    revokeRequestedBy: 'system',
    confirmedBy: 'sfs',
    outbox: null,
    ...fields,
  };
}

function token(id: string, revokedAt?: number): SfsSandboxTokenInfo {
  return {
    token: `token-${id}`,
    kind: 'client',
    apiKey: 'pk',
    clientKey: 'c1',
    issuedAt: DRAINED_AT - 60,
    expiresAt: DRAINED_AT + 30_000,
    revokedAt,
    active: revokedAt === undefined,
  };
}

/** Judges `rows` whose tokens SFS issued as `tokens`, every one of them live at the drain. */
function judge(
  rows: TokenRow[],
  tokens: SfsSandboxTokenInfo[],
  committedAtDrain: (id: string) => boolean = () => true,
): ChaosMeasures {
  const input = {
    rows,
    sandbox: { byFingerprint: new Map(rows.map((r, i) => [r.fingerprint, tokens[i]])) },
    drainedAt: DRAINED_AT,
    revokedAtDrain: committedAtDrain,
    liveAtDrain: () => true,
  } as unknown as MeasureInput;
  const m = { lostRevocations: 0, queuedAfterDrain: 0, evidence: [] } as unknown as ChaosMeasures;
  judgeRevocations(input, m);
  return m;
}

describe('the chaos judge of revocations', () => {
  it('counts as lost a token stamped before the drain that SFS never revoked', () => {
    const m = judge([row('a')], [token('a')]);
    expect(m.lostRevocations).toBe(1);
  });

  it('counts as queued after the drain a token stamped before it that SFS revoked after it', () => {
    // Stamped 2 ms before the drain check, committed after it: the outbox was empty then, and
    // SFS revoked the token 57 ms later.
    const m = judge([row('b')], [token('b', DRAINED_AT + 57)]);
    expect(m.lostRevocations).toBe(0);
    expect(m.queuedAfterDrain).toBe(1);
  });

  it('counts as queued after the drain a row stamped before it but not committed at it', () => {
    // A refresh's token that lost to a logout, stamped 6 ms before the drain check and committed
    // after it; the instances stopped before their worker revoked it.
    const late = row('c', { status: 'revoking', revokedAt: null, confirmedBy: null });
    const m = judge([late], [token('c')], (id) => id !== 'c');
    expect(m.lostRevocations).toBe(0);
    expect(m.queuedAfterDrain).toBe(1);
  });
});
