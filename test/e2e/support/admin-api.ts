import type { Response, Test } from 'supertest';
import type { DemoHarness } from './demo-harness';

/** The prefix of one tenant's admin API (the tenant segment is used as given: may be encoded). */
export const adminPrefix = (tenant: string): string => `/sfs/admin/tenants/${tenant}`;

/** The tenant routes of the admin API (docs/admin-api.md, "Routes"), offboarding aside. */
export type AdminRouteName =
  | 'list'
  | 'get'
  | 'mint'
  | 'refresh'
  | 'revoke'
  | 'revokeWithReason'
  | 'bulkRevoke'
  | 'revocations'
  | 'retryRevocations'
  | 'access'
  | 'summary'
  | 'events';

/** One admin route, with a body that would be valid where the route takes one. */
export interface AdminRoute {
  readonly name: AdminRouteName;
  readonly method: 'get' | 'post' | 'delete';
  /** Under the tenant prefix; `:tokenId` for the routes about one token. */
  readonly path: string;
  readonly oneToken: boolean;
  readonly body?: Readonly<Record<string, unknown>>;
  /** Query parameters the route validates (the lists). */
  readonly paged: boolean;
}

/** Every admin route, in the order of docs/admin-api.md. */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  { name: 'list', method: 'get', path: '/tokens', oneToken: false, paged: true },
  { name: 'get', method: 'get', path: '/tokens/:tokenId', oneToken: true, paged: false },
  {
    name: 'mint',
    method: 'post',
    path: '/tokens',
    oneToken: false,
    paged: false,
    body: { clientKey: 'probe-client' },
  },
  {
    name: 'refresh',
    method: 'post',
    path: '/tokens/:tokenId/refresh',
    oneToken: true,
    paged: false,
  },
  { name: 'revoke', method: 'delete', path: '/tokens/:tokenId', oneToken: true, paged: false },
  {
    name: 'revokeWithReason',
    method: 'post',
    path: '/tokens/:tokenId/revoke',
    oneToken: true,
    paged: false,
    body: { reason: 'probe' },
  },
  {
    name: 'bulkRevoke',
    method: 'post',
    path: '/tokens/revoke',
    oneToken: false,
    paged: false,
    body: { clientKey: 'probe-client', reason: 'probe' },
  },
  { name: 'revocations', method: 'get', path: '/revocations', oneToken: false, paged: false },
  {
    name: 'retryRevocations',
    method: 'post',
    path: '/revocations/retry',
    oneToken: false,
    paged: false,
    body: {},
  },
  { name: 'access', method: 'get', path: '/access', oneToken: false, paged: false },
  { name: 'summary', method: 'get', path: '/summary', oneToken: false, paged: false },
  { name: 'events', method: 'get', path: '/events', oneToken: false, paged: true },
];

/** The route of that name. */
export function adminRoute(name: AdminRouteName): AdminRoute {
  const route = ADMIN_ROUTES.find((r) => r.name === name);
  if (!route) throw new Error(`no admin route ${name}`);
  return route;
}

/** The URL of a route for a tenant (and token), both used as given (callers encode). */
export function routeUrl(route: AdminRoute, tenant: string, tokenId = '', query = ''): string {
  const path = route.path.replace(':tokenId', tokenId);
  return `${adminPrefix(tenant)}${path}${query ? `?${query}` : ''}`;
}

/** An HTTP request as a (hostile) client shapes it. */
export interface AdminRequest {
  /** Any method supertest knows (`get`, `post`, `put`, `delete`, `patch`, `head`, `options`). */
  readonly method: string;
  /** Path and query, sent byte for byte (already percent-encoded). */
  readonly url: string;
  /** `Authorization` header value; omitted when undefined. */
  readonly authorization?: string;
  /** An object is sent as JSON; a string or Buffer raw. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

type Verb = (url: string) => Test;

/** Sends a request to the demo app. */
export async function sendAdmin(demo: DemoHarness, request: AdminRequest): Promise<Response> {
  const http = demo.http;
  let test = (http as unknown as Record<string, Verb>)[request.method.toLowerCase()].call(
    http,
    request.url,
  );
  if (request.authorization !== undefined) test = test.set('Authorization', request.authorization);
  for (const [name, value] of Object.entries(request.headers ?? {})) test = test.set(name, value);
  if (request.contentType !== undefined) test = test.set('Content-Type', request.contentType);
  if (request.body !== undefined) {
    const raw = typeof request.body === 'string' || Buffer.isBuffer(request.body);
    test = test.send(raw ? (request.body as string) : (request.body as object));
  }
  return test;
}

/** The `nextCursor` of a first page (`path` under the tenant prefix), asserting there is one. */
export async function nextCursor(
  demo: DemoHarness,
  tenant: 'acme' | 'globex',
  path: string,
): Promise<string> {
  const page = await demo.http.get(`${adminPrefix(tenant)}${path}`).set(demo.auth(tenant));
  if (typeof page.body.nextCursor !== 'string') {
    throw new Error(`no next page at ${path}: ${page.status} ${page.text}`);
  }
  return page.body.nextCursor;
}
