import { SFS_WIRE } from '../sfs-auth/sfs/sfs-wire';
import { headerValue, type SandboxReply, type SandboxRequest } from './sandbox-http';
import {
  expectAction,
  expectFields,
  parseEnvelope,
  requireJsonContentType,
  SandboxHttpError,
} from './sandbox-request.validator';
import {
  findAccount,
  requireBearer,
  requireKnownClient,
  type SandboxCallNotes,
  type SandboxSfsContext,
} from './sandbox-sfs.context';

/** The one action the sample protected call simulates. */
export const SANDBOX_CONTRACT_LIST_ACTION = 'list';

const f = SFS_WIRE.fields;

/**
 * `POST /api/contract` with `{"data":{"action":"list"}}`: the sample protected call. Either a
 * client token as Bearer (no `clientKey` in `data`, the token carries the client), or the
 * testing-only api-key mode: `X-Sendforsign-Key` header plus `clientKey` inside `data`.
 * Answers `200 {"contracts":[]}`.
 */
export function handleContractCall(
  req: SandboxRequest,
  ctx: SandboxSfsContext,
  notes: SandboxCallNotes,
): SandboxReply {
  requireJsonContentType(req);
  const data = parseEnvelope(req);
  expectAction(data, [SANDBOX_CONTRACT_LIST_ACTION]);
  const hasAuth = headerValue(req.headers, 'authorization') !== undefined;
  const apiKey = headerValue(req.headers, SFS_WIRE.apiKeyHeader);
  if (hasAuth && apiKey !== undefined) {
    throw new SandboxHttpError(
      400,
      `Send either 'Authorization' or '${SFS_WIRE.apiKeyHeader}', not both`,
    );
  }
  if (!hasAuth && !apiKey) {
    throw new SandboxHttpError(401, `Missing 'Authorization' or '${SFS_WIRE.apiKeyHeader}'`);
  }
  if (hasAuth) {
    expectFields(data, [f.action]);
    notes.clientKey = requireBearer(req.headers, 'client', ctx, notes).clientKey;
  } else {
    expectFields(data, [f.action, f.clientKey]);
    notes.clientKey = data[f.clientKey] as string;
    const account = findAccount(ctx.accounts, apiKey as string);
    if (!account) throw new SandboxHttpError(403, 'Invalid API key');
    requireKnownClient(account, notes.clientKey);
  }
  return { status: 200, body: { contracts: [] } };
}
