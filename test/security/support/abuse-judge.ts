import { errorBodyProblem, type SeenResponse } from '../../e2e/support/admin-errors';
import { foreignData, type SeededTenant } from '../../e2e/support/tenant-seed';
import type { HostileRequest } from './hostile-requests';
import { safeDecode } from './hostile-values';

/** A broken promise of the admin API, by kind. */
export interface Violation {
  readonly kind: '5xx' | 'cross-tenant' | 'error-body' | 'guard' | 'status';
  readonly detail: string;
}

/** Answers a caller may get before the guard has looked at its key. */
function beforeAuthorization(response: SeenResponse): boolean {
  const { code, field } = (response.body ?? {}) as { code?: string; field?: string };
  if (response.status === 401) return true;
  if (code === 'INVALID_INPUT') return ['tenantId', 'body', 'path'].includes(field ?? '');
  return ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'NOT_FOUND'].includes(code ?? '');
}

/** What the request itself carried, decoded: an id it sent may come back in a message. */
function echoOf(request: HostileRequest): string {
  const parts = request.url.split(/[/?&=]/).map((part) => safeDecode(part) ?? part);
  const body = Buffer.isBuffer(request.body)
    ? request.body.toString()
    : JSON.stringify(request.body);
  return `${request.url} ${parts.join(' ')} ${body}`;
}

/** Every promise `response` breaks for `request`. */
export function judge(
  request: HostileRequest,
  response: SeenResponse & { readonly text: string },
  seeds: readonly SeededTenant[],
): Violation[] {
  const what = `${request.family} ${request.method.toUpperCase()} ${request.url.slice(0, 100)} → ${response.status}`;
  const found: Violation[] = [];
  if (response.status >= 500) found.push({ kind: '5xx', detail: what });
  // acme's read-only key may read acme's records, and change nothing.
  const reads = ['GET', 'HEAD'].includes(request.method.toUpperCase());
  const readOnly = request.caller === 'acmeRead';
  const allowed =
    request.caller === 'all' ||
    request.caller === request.tenant ||
    (readOnly && request.tenant === 'acme' && reads);
  if (response.status < 300 && !allowed) {
    const why = readOnly && request.tenant === 'acme' ? 'read-only key acted' : 'key let in';
    found.push({ kind: 'cross-tenant', detail: `${what}: ${request.caller}'s ${why}` });
  }
  const text = JSON.stringify(response.headers) + response.text;
  const leaked = foreignData(seeds, request.tenant, text, echoOf(request));
  if (leaked.length > 0) found.push({ kind: 'cross-tenant', detail: `${what}: ${leaked.join()}` });
  const problem = response.status >= 400 ? errorBodyProblem(response) : null;
  if (problem) found.push({ kind: 'error-body', detail: `${what}: ${problem}` });
  if (request.caller === 'forged' && !beforeAuthorization(response)) {
    found.push({ kind: 'guard', detail: `${what}: a forged key got past the guard` });
  }
  if (request.expect !== undefined && response.status !== request.expect) {
    found.push({ kind: 'status', detail: `${what}: expected ${request.expect}` });
  }
  return found;
}
