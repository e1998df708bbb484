import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  SfsAdminAuthorizer,
  SfsAdminDecision,
  SfsAdminRequest,
} from '../options/admin-authorizer';
import type { SfsKeyRing } from '../crypto/key-ring';
import type { SfsAdminKeyEntry } from '../options/admin-keys';

interface HashedKey {
  readonly tenantId: string;
  readonly digest: Buffer;
  /** Names the key in the audit trail without revealing it. */
  readonly label: string;
  readonly readOnly: boolean;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * How the shipped authorizer is built besides its keys.
 *
 * @inline
 */
export interface SfsStaticKeyAdminAuthorizerOptions {
  /**
   * Server-side secret of the keys' audit labels: a label is an HMAC of the key under it, so
   * nobody without it (a tenant admin reading the audit trail included) can test a guess at a key
   * offline. The module passes one derived from the encryption key ring, the same on every
   * instance. @default random bytes per process (labels then differ between instances and restarts)
   */
  readonly labelSecret?: Buffer;
}

/** The secret of the static keys' audit labels: derived from the key ring, the same everywhere. */
export function sfsAdminKeyLabelSecret(ring: SfsKeyRing): Buffer {
  return Buffer.from(
    hkdfSync('sha256', ring.fingerprintKey, Buffer.alloc(0), 'nestjs-sfs-auth/admin-key-label', 32),
  );
}

/** The audit label of `key` for `tenantId`: `admin:key:<tenant>#<8 hex of HMAC(secret, key)>`. */
export function sfsAdminKeyLabel(tenantId: string, key: string, secret: Buffer): string {
  const mac = createHmac('sha256', secret).update(key, 'utf8').digest('hex');
  return `admin:key:${tenantId}#${mac.slice(0, 8)}`;
}

/**
 * The shipped {@link SfsAdminAuthorizer}: `Authorization: Bearer <key>`, keys per tenant or `*`
 * for every tenant, read-only ones named `<tenant>/read`; offboarding a tenant
 * (`action: 'offboard-tenant'`) takes a `*` key that is not read-only. Keys are kept only as SHA-256 digests and compared in constant time against
 * every entry (no early exit), so timing tells nothing about which key nearly matched.
 *
 * @group Ports
 * @publicApi
 */
export class SfsStaticKeyAdminAuthorizer implements SfsAdminAuthorizer {
  private readonly keys: ReadonlyArray<HashedKey>;

  constructor(
    entries: ReadonlyArray<SfsAdminKeyEntry>,
    options: SfsStaticKeyAdminAuthorizerOptions = {},
  ) {
    const secret = options.labelSecret ?? randomBytes(32);
    this.keys = entries.map(({ tenantId, key, readOnly }) => ({
      tenantId,
      digest: sha256(key),
      label: sfsAdminKeyLabel(tenantId, key, secret),
      readOnly: readOnly === true,
    }));
  }

  authorize(request: SfsAdminRequest, tenantId: string): SfsAdminDecision {
    const presented = bearerOf(request.headers.authorization);
    if (presented === null) return { allowed: false, reason: 'unauthenticated' };
    const digest = sha256(presented);
    const offboarding = request.action === 'offboard-tenant';
    let forTenant: HashedKey | undefined;
    let known = false;
    for (const key of this.keys) {
      if (!timingSafeEqual(key.digest, digest)) continue;
      known = true;
      if (offboarding && key.readOnly) continue;
      if (key.tenantId === '*' && !forTenant) forTenant = key;
      else if (key.tenantId === tenantId && !offboarding) forTenant = key;
    }
    if (!known) return { allowed: false, reason: 'unauthenticated' };
    if (!forTenant) return { allowed: false, reason: 'forbidden' };
    return forTenant.readOnly
      ? { allowed: true, actor: forTenant.label, readOnly: true }
      : { allowed: true, actor: forTenant.label };
  }
}

/** The credentials of `Authorization: Bearer <credentials>`, or null. */
function bearerOf(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer +(\S{1,512})\s*$/i.exec(header);
  return match ? match[1] : null;
}
