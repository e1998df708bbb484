import type { IncomingHttpHeaders } from 'node:http';
import { SFS_WIRE } from '../sfs-auth/sfs/sfs-wire';
import { headerValue, type SandboxRequest } from './sandbox-http';
import type { SfsSandboxCallKind } from './sfs-sandbox.types';

/** Longest string field value accepted inside `data`. */
const MAX_FIELD_LENGTH = 4096;

/** A rejected request: thrown by the checks, turned into a `{code,message}` answer by the router. */
export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 415 unless the request says `Content-Type: application/json` (parameters allowed). */
export function requireJsonContentType(req: SandboxRequest): void {
  const type = headerValue(req.headers, 'content-type')?.split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new SandboxHttpError(415, 'Content-Type must be application/json');
  }
}

/**
 * Parses `{"data":{...}}` strictly: valid JSON, an object with exactly `data`, and `data` an object
 * whose `action` is a non-empty string. Messages name the offending field, never its value.
 */
export function parseEnvelope(req: SandboxRequest): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(req.raw.toString('utf8'));
  } catch {
    throw new SandboxHttpError(400, 'Body is not valid JSON');
  }
  if (!isPlainObject(body)) throw new SandboxHttpError(400, 'Body must be a JSON object');
  const extra = Object.keys(body).find((k) => k !== 'data');
  if (extra !== undefined) throw new SandboxHttpError(400, `Unexpected field '${extra}'`);
  if (!('data' in body)) throw new SandboxHttpError(400, "Missing field 'data'");
  if (!isPlainObject(body.data)) throw new SandboxHttpError(400, "Field 'data' must be an object");
  checkString(body.data, SFS_WIRE.fields.action);
  return body.data;
}

/** `data` must hold exactly these fields, each a non-empty string. */
export function expectFields(data: Record<string, unknown>, fields: readonly string[]): void {
  const extra = Object.keys(data).find((k) => !fields.includes(k));
  if (extra !== undefined) throw new SandboxHttpError(400, `Unexpected field 'data.${extra}'`);
  for (const field of fields) checkString(data, field);
}

function checkString(data: Record<string, unknown>, field: string): void {
  const name = `data.${field}`;
  if (!(field in data)) throw new SandboxHttpError(400, `Missing field '${name}'`);
  const value = data[field];
  if (typeof value !== 'string')
    throw new SandboxHttpError(400, `Field '${name}' must be a string`);
  if (value.length === 0) throw new SandboxHttpError(400, `Field '${name}' must not be empty`);
  if (value.length > MAX_FIELD_LENGTH)
    throw new SandboxHttpError(400, `Field '${name}' is too long`);
}

/** 400 unless `data.action` is one of `allowed`. */
export function expectAction(data: Record<string, unknown>, allowed: readonly string[]): string {
  const action = data[SFS_WIRE.fields.action] as string;
  if (!allowed.includes(action)) {
    throw new SandboxHttpError(400, `Field 'data.action' must be one of: ${allowed.join(', ')}`);
  }
  return action;
}

/** Which of the four token calls a `data` object is meant to be (fields decide, then the header). */
export function tokenCallKind(data: Record<string, unknown>, hasAuth: boolean): SfsSandboxCallKind {
  const f = SFS_WIRE.fields;
  const action = data[f.action];
  if (action === SFS_WIRE.actionRevoke) {
    return f.clientToken in data ? 'client.revoke' : 'platform.revoke';
  }
  if (action !== SFS_WIRE.actionCreate) return 'unknown';
  if (f.apiKey in data || f.secret in data) return 'platform.create';
  return f.clientKey in data || hasAuth ? 'client.create' : 'platform.create';
}

/** Best-effort kind of any request, for faults and the call log; never throws. */
export function classifyCall(req: SandboxRequest): SfsSandboxCallKind {
  if (req.method !== 'POST') return 'unknown';
  if (req.path === SFS_WIRE.contractPath) return 'contract.list';
  if (req.path !== SFS_WIRE.tokenPath) return 'unknown';
  try {
    const body: unknown = JSON.parse(req.raw.toString('utf8'));
    if (!isPlainObject(body) || !isPlainObject(body.data)) return 'unknown';
    return tokenCallKind(body.data, headerValue(req.headers, 'authorization') !== undefined);
  } catch {
    return 'unknown';
  }
}

/**
 * The Bearer token of the request, `undefined` without an Authorization header; 401 when the
 * header is not `Bearer <token>`.
 */
export function readBearer(headers: IncomingHttpHeaders): string | undefined {
  const value = headerValue(headers, 'authorization');
  if (value === undefined) return undefined;
  const match = /^Bearer +(\S+)$/i.exec(value.trim());
  if (!match) throw unauthorized("Authorization must be 'Bearer <token>'");
  return match[1];
}

/** A 401 with `WWW-Authenticate: Bearer`, as for a missing, expired, revoked or unknown token. */
export function unauthorized(message: string): SandboxHttpError {
  return new SandboxHttpError(401, message, { 'WWW-Authenticate': 'Bearer' });
}
