/**
 * What an authorizer sees of an admin request (framework-neutral).
 *
 * @group Ports
 * @publicApi
 */
export interface SfsAdminRequest {
  /** Lower-cased header names; repeated headers as arrays, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The HTTP method (`GET`, `POST`, `DELETE`...). */
  readonly method: string;
  /** The request's URL without its query string, e.g. `/sfs/admin/tenants/acme/tokens`. */
  readonly path: string;
  /** The underlying framework request (Express `Request` under platform-express). */
  readonly raw: unknown;
  /**
   * `'offboard-tenant'` on `DELETE /sfs/admin/tenants/:tenantId` (revokes and erases everything of
   * the tenant): the shipped static-key authorizer allows it for `*` keys only; a host's authorizer
   * decides. Absent on every other route.
   */
  readonly action?: SfsAdminAction;
}

/**
 * Admin operations an authorizer may want to tell apart from ordinary token administration.
 *
 * @inline
 */
export type SfsAdminAction = 'offboard-tenant';

/**
 * An authorizer's answer: allowed (with the actor for the audit trail), or why not.
 *
 * @group Ports
 * @publicApi
 */
export type SfsAdminDecision =
  | {
      /** The caller may administer the tenant. */
      readonly allowed: true;
      /** Who acts, as the audit trail names it (e.g. `admin:alice`). */
      readonly actor: string;
      /** May read, not act: every route but `GET` answers `403`. @default false */
      readonly readOnly?: boolean;
    }
  | {
      /** The caller may not. */
      readonly allowed: false;
      /** `unauthenticated` → 401 (no or unknown credentials); `forbidden` → 403 (not this tenant's admin). */
      readonly reason: 'unauthenticated' | 'forbidden';
    };

/**
 * Port: who may administer which tenant. Provided by the host (`admin.authorizer`), or the shipped
 * {@link SfsStaticKeyAdminAuthorizer} built from `admin.keys`. Called once per admin request with
 * the tenant id of the route; must not throw for bad credentials (answer `unauthenticated`).
 *
 * @group Ports
 * @publicApi
 */
export interface SfsAdminAuthorizer {
  /** The decision on one admin request for the route's `tenantId`. */
  authorize(
    request: SfsAdminRequest,
    tenantId: string,
  ): Promise<SfsAdminDecision> | SfsAdminDecision;
}
/**
 * Injection token of the {@link SfsAdminAuthorizer} port.
 *
 * @group Ports
 * @publicApi
 */
export const SfsAdminAuthorizer = Symbol('SfsAdminAuthorizer');
