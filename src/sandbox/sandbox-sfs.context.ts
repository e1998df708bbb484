import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { readBearer, SandboxHttpError, unauthorized } from './sandbox-request.validator';
import type { SandboxTokenRegistry } from './sandbox-token.registry';
import type {
  SfsSandboxAccount,
  SfsSandboxDialect,
  SfsSandboxRevokeStatuses,
  SfsSandboxTokenInfo,
  SfsSandboxTokenKind,
} from './sfs-sandbox.types';

/** What the SFS handlers need from the sandbox. */
export interface SandboxSfsContext {
  readonly registry: SandboxTokenRegistry;
  readonly accounts: readonly SfsSandboxAccount[];
  readonly revokeStatuses: Required<SfsSandboxRevokeStatuses>;
  readonly dialect?: SfsSandboxDialect;
}

/** Facts a handler learns about a call, for the call log (filled in even when the call fails). */
export interface SandboxCallNotes {
  issuedToken?: string;
  usedToken?: string;
  revokedToken?: string;
  clientKey?: string;
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The account with this API key (and secret, when given, compared in constant time). */
export function findAccount(
  accounts: readonly SfsSandboxAccount[],
  apiKey: string,
  secret?: string,
): SfsSandboxAccount | undefined {
  const account = accounts.find((a) => a.apiKey === apiKey);
  if (!account) return undefined;
  return secret === undefined || sameSecret(account.secret, secret) ? account : undefined;
}

/** 404 when the account lists its client keys and this one is not among them. */
export function requireKnownClient(
  account: SfsSandboxAccount | undefined,
  clientKey: string,
): void {
  if (account?.clientKeys && !account.clientKeys.includes(clientKey)) {
    throw new SandboxHttpError(404, 'Client not found');
  }
}

/**
 * The active token of this kind in the Authorization header, or 401: header missing, token
 * unknown, of the other kind, revoked or expired.
 */
export function requireBearer(
  headers: IncomingHttpHeaders,
  kind: SfsSandboxTokenKind,
  ctx: SandboxSfsContext,
  notes: SandboxCallNotes,
): SfsSandboxTokenInfo {
  const token = readBearer(headers);
  if (token === undefined) throw unauthorized('Missing Authorization header');
  notes.usedToken = token;
  const info = ctx.registry.info(token);
  if (!info) throw unauthorized('Unknown token');
  if (info.kind !== kind) throw unauthorized(`A ${kind} token is required`);
  if (info.revokedAt !== undefined) throw unauthorized('Token revoked');
  if (!info.active) throw unauthorized('Token expired');
  return info;
}
