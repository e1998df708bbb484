import {
  ADMIN_ROUTES,
  routeUrl,
  type AdminRequest,
  type AdminRoute,
} from '../../e2e/support/admin-api';
import type { DemoAdminKeys } from '../../e2e/support/demo-harness';
import type { SeededTenant } from '../../e2e/support/tenant-seed';
import {
  CONTENT_TYPES,
  HOSTILE_ID_SEGMENTS,
  HOSTILE_QUERY,
  HOSTILE_STRINGS,
  HOSTILE_TENANT_SEGMENTS,
  HOSTILE_VALUES,
  RAW_BODIES,
  encodeHostile,
  hostileCredentials,
  type HostileCredential,
} from './hostile-values';
import type { SeededRandom } from './seeded-random';

/** A generated request, with what the judge needs to know about it. */
export interface HostileRequest extends AdminRequest {
  /** The family that made it (for the report). */
  readonly family: string;
  /** The tenant the route sees once the path is decoded (null: undecodable). */
  readonly tenant: string | null;
  /** Whose key was sent (`forged`: missing, malformed or wrong). */
  readonly caller: keyof DemoAdminKeys | 'forged';
  /** The status this request must get, when the family knows it. */
  readonly expect?: number;
}

/** What the generator aims at: the keys, the seeded tenants and cursors the app issued. */
export interface AbuseTargets {
  readonly keys: DemoAdminKeys;
  readonly seeds: readonly [SeededTenant, SeededTenant];
  readonly cursors: readonly string[];
}

type Family = (rnd: SeededRandom, t: AbuseTargets) => HostileRequest;

const ONE_TOKEN = ADMIN_ROUTES.filter((r) => r.oneToken);
const WITH_BODY = ADMIN_ROUTES.filter((r) => r.body !== undefined);
const PAGED = ADMIN_ROUTES.filter((r) => r.paged);

/** A valid request of `route` for a seeded tenant with a key that may administer it. */
function base(rnd: SeededRandom, t: AbuseTargets, route: AdminRoute, family: string) {
  const seed = rnd.pick(t.seeds);
  const tenant = seed.tenantId;
  const caller = rnd.chance(0.7) ? (tenant as keyof DemoAdminKeys) : 'all';
  const tokenId = rnd.chance(0.5) ? rnd.pick(seed.tokenIds) : rnd.uuid();
  return {
    family,
    tenant,
    caller,
    tokenId,
    method: route.method,
    url: routeUrl(route, tenant, tokenId),
    authorization: `Bearer ${t.keys[caller]}`,
    body: route.body,
  } satisfies HostileRequest & { tokenId: string };
}

/**
 * Values for identifiers: hostile ones, and with `foreign` the seeded tenants' own ids and keys.
 * Those only go where nothing is stored (filters, bulk revoke): a mint would legitimately store
 * them in the tenant it names, and later answers would look like a leak.
 */
const identifierPool = (t: AbuseTargets, foreign: boolean): unknown[] => [
  ...HOSTILE_STRINGS,
  ...HOSTILE_VALUES,
  ...(foreign ? t.seeds.flatMap((s) => s.markers) : []),
];

const FAMILIES: Record<string, Family> = {
  tokenId(rnd, t) {
    const route = rnd.pick(ONE_TOKEN);
    const request = base(rnd, t, route, 'tokenId');
    const mutated = [...request.tokenId];
    mutated[rnd.int(mutated.length)] = rnd.pick(['%00', '%2f', 'g', 'Z', '-', '%C0%80', '..']);
    const segment = rnd.chance(0.6) ? rnd.pick(HOSTILE_ID_SEGMENTS) : mutated.join('');
    return { ...request, url: routeUrl(route, request.tenant, segment) };
  },
  tenant(rnd, t) {
    const route = rnd.pick(ADMIN_ROUTES);
    const request = base(rnd, t, route, 'tenant');
    const segment = rnd.pick(HOSTILE_TENANT_SEGMENTS);
    const caller = rnd.pick(['acme', 'globex', 'all'] as const);
    return {
      ...request,
      tenant: segment.decoded,
      caller,
      authorization: `Bearer ${t.keys[caller]}`,
      url: routeUrl(
        route,
        segment.sent,
        rnd.pick([...t.seeds[0].tokenIds, ...t.seeds[1].tokenIds]),
      ),
    };
  },
  query(rnd, t) {
    const route = rnd.chance(0.85) ? rnd.pick(PAGED) : rnd.pick(ADMIN_ROUTES);
    const request = base(rnd, t, route, 'query');
    const params = Array.from({ length: 1 + rnd.int(3) }, () => {
      const roll = rnd.int(4);
      if (roll === 0) return `cursor=${encodeURIComponent(rnd.pick(t.cursors))}`;
      if (roll === 1) {
        const value = rnd.pick(identifierPool(t, true));
        return `${rnd.pick(['clientKey', 'subjectId'])}=${encodeHostile(String(value))}`;
      }
      return rnd.pick(HOSTILE_QUERY);
    });
    return { ...request, url: `${request.url}?${params.join('&')}` };
  },
  body(rnd, t) {
    const route = rnd.chance(0.85) ? rnd.pick(WITH_BODY) : rnd.pick(ADMIN_ROUTES);
    const request = base(rnd, t, route, 'body');
    const roll = rnd.int(4);
    if (roll === 0) {
      return { ...request, body: rnd.pick(RAW_BODIES), contentType: rnd.pick(CONTENT_TYPES) };
    }
    const field = rnd.pick([
      'clientKey',
      'subjectId',
      'reason',
      'tenantId',
      rnd.string(6, 'xyz_$.'),
    ]);
    const body = {
      ...route.body,
      [field]: rnd.pick(identifierPool(t, route.name === 'bulkRevoke')),
    };
    if (roll === 1)
      return { ...request, body: JSON.stringify(body), contentType: rnd.pick(CONTENT_TYPES) };
    if (roll === 2 && rnd.chance(0.2))
      return { ...request, body: { clientKey: 'x'.repeat(150_000) } };
    return { ...request, body };
  },
  credentials(rnd, t) {
    const request = base(rnd, t, rnd.pick(ADMIN_ROUTES), 'credentials');
    const credential: HostileCredential = rnd.pick(hostileCredentials(t.keys));
    return { ...request, authorization: credential.header, caller: credential.caller };
  },
  foreignId(rnd, t) {
    const route = rnd.pick(ONE_TOKEN);
    const request = base(rnd, t, route, 'foreignId');
    const other = t.seeds.find((s) => s.tenantId !== request.tenant) as SeededTenant;
    const caller = request.tenant as keyof DemoAdminKeys;
    return {
      ...request,
      caller,
      authorization: `Bearer ${t.keys[caller]}`,
      url: routeUrl(route, request.tenant, rnd.pick(other.tokenIds)),
      expect: 404,
    };
  },
  method(rnd, t) {
    const route = rnd.pick(ADMIN_ROUTES);
    const request = base(rnd, t, route, 'method');
    const verbs = ['put', 'patch', 'options', 'get', 'post', 'delete'].filter(
      (v) => v !== route.method,
    );
    const method = rnd.pick(verbs);
    // Some verbs have a route on that path too (GET and POST /tokens; DELETE /tokens/revoke is
    // DELETE /tokens/:tokenId); the others must be an unknown route.
    const path = route.path.replace(':tokenId', 'x');
    const routed = ADMIN_ROUTES.some(
      (r) =>
        r.method === method && new RegExp(`^${r.path.replace(':tokenId', '[^/]+')}$`).test(path),
    );
    return { ...request, method, expect: routed ? undefined : 404 };
  },
};

/** `count` hostile requests, the families in turn, every choice from the seeded PRNG. */
export function hostileRequests(
  rnd: SeededRandom,
  targets: AbuseTargets,
  count: number,
): HostileRequest[] {
  const families = Object.values(FAMILIES);
  return Array.from({ length: count }, (_, i) => families[i % families.length](rnd, targets));
}
