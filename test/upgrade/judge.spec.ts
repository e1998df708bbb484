import type { SfsSandboxTokenInfo } from '../../src/sandbox';
import { judgeUpgrade, type RevokeReceived } from './judge';

const SIGNED_OUT_AT = 100_000;

function token(name: string, fields: Partial<SfsSandboxTokenInfo>): SfsSandboxTokenInfo {
  return {
    token: name,
    kind: 'client',
    apiKey: 'pk',
    clientKey: 'ck',
    issuedAt: 0,
    expiresAt: SIGNED_OUT_AT + 60_000,
    active: false,
    ...fields,
  };
}

function judge(issued: SfsSandboxTokenInfo[], revokesReceived: RevokeReceived[] = []) {
  return judgeUpgrade({
    serves: [],
    errors: [],
    issued,
    recorded: new Set(issued.map((t) => t.token)),
    fingerprint: (t) => t,
    signedOutAt: SIGNED_OUT_AT,
    revokesReceived,
  });
}

describe('the upgrade judge', () => {
  it('counts a token live at sign-out and never revoked, even when it has expired by the end', () => {
    // `active` is SFS's view at the end: false, because the token has expired since.
    expect(judge([token('late', { active: false })]).unrevoked).toBe(1);
  });

  it('leaves out tokens revoked, and tokens that had expired before every user signed out', () => {
    const issued = [
      token('revoked', { revokedAt: SIGNED_OUT_AT + 5 }),
      token('expired', { expiresAt: SIGNED_OUT_AT - 1 }),
    ];
    expect(judge(issued).unrevoked).toBe(0);
  });

  it('leaves out a token whose revoke reached SFS after it expired, and only that one', () => {
    // Revoked at sign-out + 7 ms, arriving at SFS 5 ms after the token expired at sign-out + 10 ms:
    // SFS no longer knew it, so it never marked it revoked. A revoke arriving before expiry that
    // SFS did not record (or none at all) still counts.
    const expiresAt = SIGNED_OUT_AT + 10;
    const issued = [
      token('revoked after expiry', { expiresAt }),
      token('revoke lost before expiry', { expiresAt }),
      token('never revoked', { expiresAt }),
    ];
    const counts = judge(issued, [
      { token: 'revoked after expiry', at: expiresAt + 5 },
      { token: 'revoke lost before expiry', at: expiresAt - 1 },
    ]);
    expect(counts.unrevoked).toBe(2);
  });

  it('counts as lost a token no row records that SFS never saw revoked', () => {
    const counts = judgeUpgrade({
      serves: [],
      errors: [],
      issued: [token('unrecorded', {}), token('revoked', { revokedAt: 1 })],
      recorded: new Set(),
      fingerprint: (t) => t,
      signedOutAt: SIGNED_OUT_AT,
      revokesReceived: [],
    });
    expect(counts.lost).toBe(1);
  });
});
