import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  PayloadTooLargeException,
} from '@nestjs/common';
import { SfsAdminAccessError } from '../errors/sfs-auth.error';
import { assertIdentifier } from '../tokens/identifiers';
import { SfsAdminAuthorizer } from './admin-authorizer';

/** Largest admin request body accepted (the admin API's bodies are a few identifiers). */
export const SFS_ADMIN_MAX_BODY_BYTES = 4096;

/** The slice of an Express request the guard reads and writes. */
interface AdminHttpRequest {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  path?: string;
  url: string;
  params?: Record<string, string | undefined>;
  body?: unknown;
  sfsAdminActor?: string;
}

/**
 * Runs before every admin route: rejects oversized bodies, validates the route's tenant id, then
 * asks the {@link SfsAdminAuthorizer} and stores the actor on the request for the audit trail.
 */
@Injectable()
export class SfsAdminGuard implements CanActivate {
  constructor(@Inject(SfsAdminAuthorizer) private readonly authorizer: SfsAdminAuthorizer) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminHttpRequest>();
    if (bodyBytes(request) > SFS_ADMIN_MAX_BODY_BYTES) {
      throw new PayloadTooLargeException(
        `request body must be at most ${SFS_ADMIN_MAX_BODY_BYTES} bytes`,
      );
    }
    const tenantId = request.params?.tenantId;
    assertIdentifier('tenantId', tenantId);
    const decision = await this.authorizer.authorize(
      {
        headers: request.headers,
        method: request.method,
        path: request.path ?? request.url,
        raw: request,
      },
      tenantId,
    );
    if (!decision.allowed) throw new SfsAdminAccessError(decision.reason, tenantId);
    request.sfsAdminActor = decision.actor;
    return true;
  }
}

function bodyBytes(request: AdminHttpRequest): number {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > 0) return declared;
  if (request.body === undefined || request.body === null) return 0;
  return Buffer.byteLength(JSON.stringify(request.body) ?? '', 'utf8');
}
