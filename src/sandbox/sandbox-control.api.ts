import { createHash, timingSafeEqual } from 'node:crypto';
import { errorReply, headerValue, type SandboxReply, type SandboxRequest } from './sandbox-http';
import { SANDBOX_CALL_KINDS } from './sandbox-fault.validation';
import type {
  SfsSandboxCall,
  SfsSandboxCallFilter,
  SfsSandboxCallKind,
  SfsSandboxFault,
  SfsSandboxFaultProfile,
  SfsSandboxLifetimes,
  SfsSandboxStats,
  SfsSandboxTokenInfo,
  SfsSandboxTokenKind,
} from './sfs-sandbox.types';

/**
 * Path prefix of the control API.
 *
 * @group Testing
 * @publicApi
 */
export const SFS_SANDBOX_CONTROL_PREFIX = '/__sandbox/';
/**
 * Header carrying the control key.
 *
 * @group Testing
 * @publicApi
 */
export const SFS_SANDBOX_CONTROL_HEADER = 'X-Sandbox-Control';

/** The sandbox operations the control API exposes. */
export interface SandboxControlTarget {
  calls(filter?: SfsSandboxCallFilter): SfsSandboxCall[];
  clearCalls(): void;
  setFaults(profile: SfsSandboxFaultProfile): void;
  enqueueFaults(...faults: SfsSandboxFault[]): void;
  clearFaults(): void;
  readonly queuedFaults: number;
  reset(): void;
  tokenInfo(token: string): SfsSandboxTokenInfo | undefined;
  issuedTokens(kind?: SfsSandboxTokenKind): SfsSandboxTokenInfo[];
  setTokenLifetimes(lifetimes: Partial<SfsSandboxLifetimes>): void;
  readonly lifetimes: SfsSandboxLifetimes;
  stats(): SfsSandboxStats;
}

function sameKey(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

function jsonBody(req: SandboxRequest): unknown {
  try {
    return JSON.parse(req.raw.toString('utf8'));
  } catch {
    throw new TypeError('Body is not valid JSON');
  }
}

function kindParam(req: SandboxRequest): SfsSandboxCallKind | undefined {
  const kind = req.query.get('kind') || undefined;
  if (kind !== undefined && !SANDBOX_CALL_KINDS.includes(kind as SfsSandboxCallKind)) {
    throw new TypeError("Unknown 'kind'");
  }
  return kind as SfsSandboxCallKind | undefined;
}

const NO_CONTENT: SandboxReply = { status: 204 };

/**
 * The control API, for a sandbox running in another process. Every route needs the
 * `X-Sandbox-Control` key (401 without, 403 wrong); bad input is a 400 with the reason.
 */
export function handleControlCall(
  req: SandboxRequest,
  target: SandboxControlTarget,
  controlKey: string,
): SandboxReply {
  const key = headerValue(req.headers, SFS_SANDBOX_CONTROL_HEADER);
  if (!key) return errorReply(401, `Missing ${SFS_SANDBOX_CONTROL_HEADER} header`);
  if (!sameKey(key, controlKey)) return errorReply(403, 'Invalid control key');
  try {
    return route(req, target);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      return errorReply(400, error.message);
    }
    throw error;
  }
}

function route(req: SandboxRequest, target: SandboxControlTarget): SandboxReply {
  const path = req.path.slice(SFS_SANDBOX_CONTROL_PREFIX.length);
  const tokenMatch = /^tokens\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && tokenMatch) {
    const info = target.tokenInfo(decodeURIComponent(tokenMatch[1]));
    return { status: 200, body: { active: info?.active ?? false, info: info ?? null } };
  }
  switch (`${req.method} ${path}`) {
    case 'GET calls': {
      const reveal = ['1', 'true'].includes(req.query.get('reveal') ?? '');
      return { status: 200, body: { calls: target.calls({ kind: kindParam(req), reveal }) } };
    }
    case 'DELETE calls':
      target.clearCalls();
      return NO_CONTENT;
    case 'GET stats':
      return { status: 200, body: target.stats() };
    case 'PUT faults':
      target.setFaults(jsonBody(req) as SfsSandboxFaultProfile);
      return NO_CONTENT;
    case 'DELETE faults':
      target.clearFaults();
      return NO_CONTENT;
    case 'POST faults/queue': {
      const body = jsonBody(req);
      target.enqueueFaults(...((Array.isArray(body) ? body : [body]) as SfsSandboxFault[]));
      return { status: 200, body: { queued: target.queuedFaults } };
    }
    case 'POST reset':
      target.reset();
      return NO_CONTENT;
    case 'GET tokens': {
      const kind = req.query.get('kind') || undefined;
      if (kind !== undefined && kind !== 'platform' && kind !== 'client') {
        throw new TypeError("Unknown 'kind'");
      }
      return { status: 200, body: { tokens: target.issuedTokens(kind) } };
    }
    case 'GET lifetimes':
      return { status: 200, body: target.lifetimes };
    case 'PUT lifetimes':
      target.setTokenLifetimes(jsonBody(req) as Partial<SfsSandboxLifetimes>);
      return { status: 200, body: target.lifetimes };
    default:
      return errorReply(404, 'Unknown control route');
  }
}
