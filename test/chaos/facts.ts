import type { SfsSandbox, SfsSandboxTokenInfo } from '../../src/sandbox';
import { queryOnce } from './postgres';

/** A successful `client.create` as the sandbox logged it. */
export interface SandboxMint {
  readonly seq: number;
  /** Arrival of the call. */
  readonly at: number;
  readonly token: string;
  /** The platform token the call authenticated with. */
  readonly platformToken: string;
  readonly info: SfsSandboxTokenInfo;
}

/** What the sandbox knows after the run: its client tokens, its mints, who used which platform token. */
export interface SandboxFacts {
  readonly byToken: ReadonlyMap<string, SfsSandboxTokenInfo>;
  readonly byFingerprint: ReadonlyMap<string, SfsSandboxTokenInfo>;
  readonly mints: readonly SandboxMint[];
  /** Last arrival of a call made with each platform token. */
  readonly platformLastUse: ReadonlyMap<string, number>;
  /** Token-API calls (the protected call excluded), and how many of them failed by design. */
  readonly tokenCalls: number;
  readonly failedTokenCalls: number;
}

/** Reads the sandbox's registry and call log (tokens revealed: this is the test's own sandbox). */
export function readSandboxFacts(
  sandbox: SfsSandbox,
  fingerprint: (token: string) => string,
): SandboxFacts {
  const tokens = sandbox.issuedTokens('client');
  const byToken = new Map(tokens.map((info) => [info.token, info]));
  const byFingerprint = new Map(tokens.map((info) => [fingerprint(info.token), info]));
  const platformLastUse = new Map<string, number>();
  const mints: SandboxMint[] = [];
  let tokenCalls = 0;
  let failedTokenCalls = 0;
  for (const call of sandbox.calls({ reveal: true })) {
    if (call.kind !== 'contract.list') {
      tokenCalls++;
      const fault = call.fault;
      if (fault && (fault.status !== undefined || fault.reset || fault.hang)) failedTokenCalls++;
    }
    const platformToken = call.kind === 'contract.list' ? undefined : call.usedToken;
    if (platformToken) {
      platformLastUse.set(
        platformToken,
        Math.max(platformLastUse.get(platformToken) ?? 0, call.at),
      );
    }
    if (call.kind !== 'client.create' || call.status < 200 || call.status > 299) continue;
    const info = call.issuedToken ? byToken.get(call.issuedToken) : undefined;
    if (!info || !platformToken) continue;
    mints.push({ seq: call.seq, at: call.at, token: info.token, platformToken, info });
  }
  return { byToken, byFingerprint, mints, platformLastUse, tokenCalls, failedTokenCalls };
}

/** One `sfs_client_token` row, with its audit times. */
export interface TokenRow {
  readonly id: string;
  readonly tenantId: string;
  readonly clientKey: string;
  readonly subjectId: string | null;
  readonly status: string;
  readonly fingerprint: string;
  readonly issuedAt: number;
  readonly revokedAt: number | null;
  readonly revokeReason: string | null;
  readonly replacedBy: string | null;
  /** First `revoke_requested` event, and its actor. */
  readonly revokeRequestedAt: number | null;
  readonly revokeRequestedBy: string | null;
  /** `confirmedBy` of the `revoked` event (`sfs`, `already-dead`, `expired`). */
  readonly confirmedBy: string | null;
  /** Its revocation outbox row, if still there. */
  readonly outbox: 'pending' | 'failed' | null;
}

interface RawRow {
  id: string;
  tenant_id: string;
  client_key: string;
  subject_id: string | null;
  status: string;
  fingerprint: string;
  issued_at: Date;
  revoked_at: Date | null;
  revoke_reason: string | null;
  replaced_by: string | null;
  requested_at: Date | null;
  requested_by: string | null;
  confirmed_by: string | null;
  outbox: 'pending' | 'failed' | null;
}

const ROWS = `
  SELECT t.id, t.tenant_id, t.client_key, t.subject_id, t.status, t.fingerprint, t.issued_at,
         t.revoked_at,
         t.revoke_reason, t.replaced_by, r.status AS outbox,
         (SELECT min(e.at) FROM sfs_token_event e
           WHERE e.token_id = t.id AND e.type = 'revoke_requested') AS requested_at,
         (SELECT e.actor FROM sfs_token_event e
           WHERE e.token_id = t.id AND e.type = 'revoke_requested' ORDER BY e.id LIMIT 1)
           AS requested_by,
         (SELECT e.detail->>'confirmedBy' FROM sfs_token_event e
           WHERE e.token_id = t.id AND e.type = 'revoked' ORDER BY e.id LIMIT 1) AS confirmed_by
  FROM sfs_client_token t LEFT JOIN sfs_token_revocation r ON r.token_id = t.id`;

/** Every token row of the database, with its revocation request and confirmation. */
export async function readTokenRows(dbUrl: string): Promise<TokenRow[]> {
  const rows = await queryOnce<RawRow>(dbUrl, ROWS);
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    clientKey: r.client_key,
    subjectId: r.subject_id,
    status: r.status,
    fingerprint: r.fingerprint,
    issuedAt: r.issued_at.getTime(),
    revokedAt: r.revoked_at?.getTime() ?? null,
    revokeReason: r.revoke_reason,
    replacedBy: r.replaced_by,
    revokeRequestedAt: r.requested_at?.getTime() ?? null,
    revokeRequestedBy: r.requested_by,
    confirmedBy: r.confirmed_by,
    outbox: r.outbox,
  }));
}
