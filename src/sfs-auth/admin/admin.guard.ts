import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  PayloadTooLargeException,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SfsAdminAccessError } from '../errors/sfs-auth.error';
import { assertIdentifier } from '../model/identifiers';
import {
  SfsAdminAuthorizer,
  type SfsAdminAction,
  type SfsAdminDecision,
  type SfsAdminRequest,
} from '../options/admin-authorizer';

const SFS_ADMIN_ACTION = 'sfs-auth:admin-action';

/** Marks a route whose {@link SfsAdminRequest.action} the authorizer is told. */
export const SfsAdminActionOf = (action: SfsAdminAction) => SetMetadata(SFS_ADMIN_ACTION, action);
import { SfsAdminAuthThrottle } from './admin-auth.throttle';
import { SFS_ADMIN_MAX_BODY_BYTES, valueTooDeep } from './admin-body.limits';

/** Methods a read-only admin may use. */
const READ_METHODS = new Set(['GET', 'HEAD']);
/** `Sec-Fetch-Site` values of a request started by a page of another site (or a sibling subdomain). */
const CROSS_SITE = new Set(['cross-site', 'same-site']);

/** The slice of a platform's request the guard reads and writes (Express and Fastify alike). */
export interface AdminHttpRequest {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  url: string;
  params?: Record<string, string | undefined>;
  body?: unknown;
  sfsAdminActor?: string;
  /** Set by the guard: the authorizer said the caller may read, not act. */
  sfsAdminReadOnly?: boolean;
  /** The client address (Express's `trust proxy` and Fastify's `trustProxy` apply). */
  ip?: string;
  socket?: { remoteAddress?: string };
}

/**
 * Runs before every admin route: rejects oversized bodies, validates the route's tenant id, refuses
 * a client past its failed-authentication limit, then asks the {@link SfsAdminAuthorizer} (counting
 * an `unauthenticated` answer against the client), refuses a change asked with read-only access,
 * and stores the actor for the audit trail.
 *
 * @internal
 */
@Injectable()
export class SfsAdminGuard implements CanActivate {
  constructor(
    @Inject(SfsAdminAuthorizer) private readonly authorizer: SfsAdminAuthorizer,
    private readonly throttle: SfsAdminAuthThrottle,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminHttpRequest>();
    if (bodyBytes(request) > SFS_ADMIN_MAX_BODY_BYTES) {
      throw new PayloadTooLargeException(
        `request body must be at most ${SFS_ADMIN_MAX_BODY_BYTES} bytes`,
      );
    }
    const tenantId = request.params?.tenantId;
    assertIdentifier('tenantId', tenantId);
    const changes = !READ_METHODS.has(request.method.toUpperCase());
    // A browser says where a request comes from; a page of another site may not act, whatever
    // credentials its browser attaches (a host authorizer may read a session cookie).
    if (changes && CROSS_SITE.has(String(request.headers['sec-fetch-site']).toLowerCase())) {
      throw new SfsAdminAccessError('cross-site', tenantId);
    }
    const client = this.throttle.clientOf(request.ip ?? request.socket?.remoteAddress);
    // Reserved before the authorizer is awaited: requests in flight count against the budget.
    const wait = this.throttle.reserve(client);
    if (wait > 0) throw new SfsAdminAccessError('throttled', tenantId, wait);
    let decision: SfsAdminDecision;
    try {
      decision = await this.authorizer.authorize(
        sfsAdminRequestOf(
          request,
          this.reflector.get<SfsAdminAction | undefined>(SFS_ADMIN_ACTION, context.getHandler()),
        ),
        tenantId,
      );
    } catch (error) {
      this.throttle.settle(client);
      throw error;
    }
    const failed = !decision.allowed && decision.reason === 'unauthenticated';
    this.throttle.settle(client, failed ? tenantId : undefined);
    if (!decision.allowed) throw new SfsAdminAccessError(decision.reason, tenantId);
    if (decision.readOnly && changes) {
      throw new SfsAdminAccessError('read-only', tenantId);
    }
    request.sfsAdminActor = decision.actor;
    request.sfsAdminReadOnly = decision.readOnly === true;
    return true;
  }
}

/** What the authorizer is shown of `request` (for `action`, when the route names one). */
export function sfsAdminRequestOf(
  request: AdminHttpRequest,
  action: SfsAdminAction | undefined,
): SfsAdminRequest {
  return {
    headers: request.headers,
    method: request.method,
    path: request.url.split('?')[0],
    raw: request,
    action,
  };
}

function bodyBytes(request: AdminHttpRequest): number {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > 0) return declared;
  if (request.body === undefined || request.body === null) return 0;
  // Too deep to serialise safely: the validation pipe refuses it (400) once the caller is known.
  if (valueTooDeep(request.body)) return 0;
  return Buffer.byteLength(JSON.stringify(request.body) ?? '', 'utf8');
}
