import type { SfsSandboxTokenInfo } from '../../src/sandbox';
import type { BadAnswer, Serve } from './load';

/** A served token SFS had revoked this long before the request still counts as revoked. */
const REVOKED_SLACK_MS = 1000;

export interface UpgradeVerdictInput {
  readonly serves: readonly Serve[];
  readonly errors: readonly BadAnswer[];
  /** Every client token SFS issued, as it knows them at the end. */
  readonly issued: readonly SfsSandboxTokenInfo[];
  /** Fingerprints of every token row in the database. */
  readonly recorded: ReadonlySet<string>;
  readonly fingerprint: (token: string) => string;
  /** When every user was signed out (the sign-outs were sent after this). */
  readonly signedOutAt: number;
  /** Every client revoke SFS received: the token it named and when it arrived. */
  readonly revokesReceived: readonly RevokeReceived[];
}

/** A client revoke as SFS's call log records it. */
export interface RevokeReceived {
  readonly token: string;
  readonly at: number;
}

export interface UpgradeCounts {
  /** Tokens SFS issued that the database never recorded and SFS never saw revoked. */
  readonly lost: number;
  /** Tokens served expired, revoked, or unknown to SFS. */
  readonly expiredServed: number;
  /** Answers of 500 and up, and requests no instance answered (a proxy's 502). */
  readonly errors5xx: number;
  /** Any other answer than the one asked for (a 4xx). */
  readonly errors4xx: number;
  /**
   * Tokens live when every user signed out that SFS never saw revoked, expired since or not: a
   * sign-out must revoke every token of its user, the replaced ones SFS still honours included.
   * A token whose revoke reached SFS only after it had expired is not counted: the module sent it,
   * and SFS, no longer knowing the token, had nothing left to mark.
   */
  readonly unrevoked: number;
}

export function judgeUpgrade(input: UpgradeVerdictInput): UpgradeCounts {
  const byToken = new Map(input.issued.map((info) => [info.token, info]));
  let expiredServed = 0;
  for (const serve of input.serves) {
    const info = byToken.get(serve.token);
    if (
      !info ||
      info.expiresAt <= serve.sentAt ||
      (info.revokedAt !== undefined && info.revokedAt < serve.sentAt - REVOKED_SLACK_MS)
    )
      expiredServed++;
  }
  const lost = input.issued.filter(
    (info) => info.revokedAt === undefined && !input.recorded.has(input.fingerprint(info.token)),
  ).length;
  return {
    lost,
    expiredServed,
    errors5xx: input.errors.filter((e) => e.status === 0 || e.status >= 500).length,
    errors4xx: input.errors.filter((e) => e.status > 0 && e.status < 500).length,
    unrevoked: unrevokedAfterSignOut(input.issued, input.signedOutAt, input.revokesReceived).length,
  };
}

/** The tokens {@link UpgradeCounts.unrevoked} counts. */
export function unrevokedAfterSignOut(
  issued: readonly SfsSandboxTokenInfo[],
  signedOutAt: number,
  revokesReceived: readonly RevokeReceived[],
): SfsSandboxTokenInfo[] {
  const lastRevokeAt = new Map<string, number>();
  for (const r of revokesReceived)
    lastRevokeAt.set(r.token, Math.max(r.at, lastRevokeAt.get(r.token) ?? r.at));
  const revokedTooLate = (info: SfsSandboxTokenInfo) =>
    (lastRevokeAt.get(info.token) ?? -Infinity) >= info.expiresAt;
  return issued.filter(
    (info) => info.revokedAt === undefined && info.expiresAt > signedOutAt && !revokedTooLate(info),
  );
}
