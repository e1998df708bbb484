/** What an authorizer sees of an admin request (framework-neutral). */
export interface SfsAdminRequest {
  /** Lower-cased header names; repeated headers as arrays, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly method: string;
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

/** Admin operations an authorizer may want to tell apart from ordinary token administration. */
export type SfsAdminAction = 'offboard-tenant';

/** An authorizer's answer: allowed (with the actor for the audit trail), or why not. */
export type SfsAdminDecision =
  | {
      readonly allowed: true;
      readonly actor: string;
      /** May read, not act: every route but `GET` answers `403`. @default false */
      readonly readOnly?: boolean;
    }
  /** `unauthenticated` → 401 (no or unknown credentials); `forbidden` → 403 (not this tenant's admin). */
  | { readonly allowed: false; readonly reason: 'unauthenticated' | 'forbidden' };

/**
 * Port: who may administer which tenant. Provided by the host (`admin.authorizer`), or the shipped
 * {@link SfsStaticKeyAdminAuthorizer} built from `admin.keys`. Called once per admin request with
 * the tenant id of the route; must not throw for bad credentials (answer `unauthenticated`).
 */
export interface SfsAdminAuthorizer {
  authorize(
    request: SfsAdminRequest,
    tenantId: string,
  ): Promise<SfsAdminDecision> | SfsAdminDecision;
}
/** Injection token of the {@link SfsAdminAuthorizer} port. */
export const SfsAdminAuthorizer = Symbol('SfsAdminAuthorizer');
