import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  SfsAdminAuthorizer,
  SfsAdminDecision,
  SfsAdminRequest,
} from '../options/admin-authorizer';
import type { SfsAdminKeyEntry } from '../options/admin-keys';

interface HashedKey {
  readonly tenantId: string;
  readonly digest: Buffer;
  /** Names the key in the audit trail without revealing it. */
  readonly label: string;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The shipped {@link SfsAdminAuthorizer}: `Authorization: Bearer <key>`, keys per tenant or `*`
 * for every tenant; offboarding a tenant (`action: 'offboard-tenant'`) takes a `*` key. Keys are kept only as SHA-256 digests and compared in constant time against
 * every entry (no early exit), so timing tells nothing about which key nearly matched.
 */
export class SfsStaticKeyAdminAuthorizer implements SfsAdminAuthorizer {
  private readonly keys: ReadonlyArray<HashedKey>;

  constructor(entries: ReadonlyArray<SfsAdminKeyEntry>) {
    this.keys = entries.map(({ tenantId, key }) => {
      const digest = sha256(key);
      return { tenantId, digest, label: `admin:key:${tenantId}#${digest.toString('hex', 0, 4)}` };
    });
  }

  authorize(request: SfsAdminRequest, tenantId: string): SfsAdminDecision {
    const presented = bearerOf(request.headers.authorization);
    if (presented === null) return { allowed: false, reason: 'unauthenticated' };
    const digest = sha256(presented);
    const allTenantsOnly = request.action === 'offboard-tenant';
    let forTenant: HashedKey | undefined;
    let known = false;
    for (const key of this.keys) {
      if (!timingSafeEqual(key.digest, digest)) continue;
      known = true;
      if (key.tenantId === '*' && !forTenant) forTenant = key;
      else if (key.tenantId === tenantId && !allTenantsOnly) forTenant = key;
    }
    if (!known) return { allowed: false, reason: 'unauthenticated' };
    if (!forTenant) return { allowed: false, reason: 'forbidden' };
    return { allowed: true, actor: forTenant.label };
  }
}

/** The credentials of `Authorization: Bearer <credentials>`, or null. */
function bearerOf(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer +(\S{1,512})\s*$/i.exec(header);
  return match ? match[1] : null;
}
