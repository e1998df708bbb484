import { SFS_WIRE } from '../sfs-auth/sfs/sfs-wire';
import { dialectTokenBody, translateRequestFields } from './sandbox-dialect';
import { errorReply, headerValue, type SandboxReply, type SandboxRequest } from './sandbox-http';
import {
  expectAction,
  expectFields,
  parseEnvelope,
  requireJsonContentType,
  SandboxHttpError,
  tokenCallKind,
} from './sandbox-request.validator';
import {
  findAccount,
  requireBearer,
  requireKnownClient,
  type SandboxCallNotes,
  type SandboxSfsContext,
} from './sandbox-sfs.context';

const f = SFS_WIRE.fields;

function tokenReply(token: string, expiresIn: number, ctx: SandboxSfsContext): SandboxReply {
  const r = SFS_WIRE.response;
  const body = { [r.accessToken]: token, [r.tokenType]: 'Bearer', [r.expiresIn]: expiresIn };
  return { status: 201, body: dialectTokenBody(body, ctx.dialect) };
}

/** The answer to a revoke: `{code,message}` either way, "Token revoked" when 2xx. */
function revokeReply(status = 201, failure = 'Token not revoked'): SandboxReply {
  return status < 300
    ? { status, body: { code: String(status), message: 'Token revoked' } }
    : errorReply(status, failure);
}

/**
 * `POST /api/token`: the four token calls of `docs/sfs-token-api.md`, checked strictly. Kinds are told apart
 * by the fields of `data` (then by the presence of an Authorization header), so a malformed body
 * gets a 400 that names the field the intended call got wrong.
 */
export function handleTokenCall(
  req: SandboxRequest,
  ctx: SandboxSfsContext,
  notes: SandboxCallNotes,
): SandboxReply {
  requireJsonContentType(req);
  const data = parseEnvelope(req);
  translateRequestFields(data, ctx.dialect);
  expectAction(data, [SFS_WIRE.actionCreate, SFS_WIRE.actionRevoke]);
  const hasAuth = headerValue(req.headers, 'authorization') !== undefined;
  switch (tokenCallKind(data, hasAuth)) {
    case 'platform.create':
      return createPlatformToken(data, hasAuth, ctx, notes);
    case 'platform.revoke':
      expectFields(data, [f.action]);
      notes.revokedToken = requireBearer(req.headers, 'platform', ctx, notes).token;
      ctx.registry.revoke(notes.revokedToken);
      return revokeReply();
    case 'client.create':
      return createClientToken(req, data, ctx, notes);
    default: // 'client.revoke' ('unknown' cannot pass expectAction)
      return revokeClientToken(req, data, ctx, notes);
  }
}

function createPlatformToken(
  data: Record<string, unknown>,
  hasAuth: boolean,
  ctx: SandboxSfsContext,
  notes: SandboxCallNotes,
): SandboxReply {
  expectFields(data, [f.action, f.apiKey, f.secret]);
  if (hasAuth) throw new SandboxHttpError(400, "Unexpected header 'Authorization'");
  // One answer for an unknown key and a wrong secret: the caller learns nothing about which.
  const account = findAccount(ctx.accounts, data[f.apiKey] as string, data[f.secret] as string);
  if (!account) throw new SandboxHttpError(403, 'Invalid API key or secret');
  const { token, expiresIn } = ctx.registry.issue('platform', account.apiKey);
  notes.issuedToken = token;
  return tokenReply(token, expiresIn, ctx);
}

function createClientToken(
  req: SandboxRequest,
  data: Record<string, unknown>,
  ctx: SandboxSfsContext,
  notes: SandboxCallNotes,
): SandboxReply {
  expectFields(data, [f.action, f.clientKey]);
  const clientKey = data[f.clientKey] as string;
  notes.clientKey = clientKey;
  const platform = requireBearer(req.headers, 'platform', ctx, notes);
  requireKnownClient(findAccount(ctx.accounts, platform.apiKey), clientKey);
  const { token, expiresIn } = ctx.registry.issue('client', platform.apiKey, clientKey);
  notes.issuedToken = token;
  return tokenReply(token, expiresIn, ctx);
}

function revokeClientToken(
  req: SandboxRequest,
  data: Record<string, unknown>,
  ctx: SandboxSfsContext,
  notes: SandboxCallNotes,
): SandboxReply {
  expectFields(data, [f.action, f.clientToken]);
  notes.revokedToken = data[f.clientToken] as string;
  const platform = requireBearer(req.headers, 'platform', ctx, notes);
  const target = ctx.registry.info(notes.revokedToken);
  // Another account's token is answered like an unknown one, so its existence does not leak.
  if (!target || target.kind !== 'client' || target.apiKey !== platform.apiKey) {
    return revokeReply(ctx.revokeStatuses.unknown, 'Client token not found');
  }
  notes.clientKey = target.clientKey;
  if (target.revokedAt !== undefined) {
    return revokeReply(ctx.revokeStatuses.alreadyRevoked, 'Token already revoked');
  }
  ctx.registry.revoke(target.token);
  if (!target.active) {
    return revokeReply(ctx.revokeStatuses.expired, 'Token expired');
  }
  return revokeReply();
}
