import type { IncomingMessage } from 'node:http';
import type { SfsAdminErrorBody } from './admin-answer';

/** Largest admin request body accepted, in bytes as sent (the admin API's bodies are a few ids). */
export const SFS_ADMIN_MAX_BODY_BYTES = 4096;
/** Deepest JSON nesting accepted in an admin body (they are flat objects). */
export const SFS_ADMIN_MAX_BODY_DEPTH = 8;

/** A body read and parsed within the limits, or the admin error to answer instead. */
export type SfsAdminBodyVerdict =
  | { readonly ok: true; readonly body: unknown; readonly bytes: Buffer }
  | {
      readonly ok: false;
      readonly error: SfsAdminErrorBody;
      readonly headers?: Record<string, string>;
    };

function refuse(
  statusCode: number,
  code: string,
  message: string,
  field?: string,
): SfsAdminBodyVerdict {
  return {
    ok: false,
    error: field ? { statusCode, code, message, field } : { statusCode, code, message },
  };
}

const invalid = (field: string, problem: string) =>
  refuse(400, 'INVALID_INPUT', `${field} ${problem}`, field);

/** Whether JSON text nests (objects and arrays, outside strings) deeper than `max`. */
export function jsonTextTooDeep(text: string, max = SFS_ADMIN_MAX_BODY_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * Whether a parsed value nests deeper than `max`, walked without recursion (a hostile body must
 * not be able to overflow the stack of the code that checks it).
 */
export function valueTooDeep(value: unknown, max = SFS_ADMIN_MAX_BODY_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The dotted path of the first key or string value holding a NUL character (PostgreSQL refuses
 * it in text), or undefined; `root` names the value itself (a key holding NUL is not shown). Call
 * on values already known not to be too deep.
 */
export function fieldWithNul(value: unknown, path = '', root = 'body'): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || root : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return path || root;
    const found = fieldWithNul(child, childPath, root);
    if (found) return found;
  }
  return undefined;
}

/** Keys that reach an object's prototype once parsed: refused in every body, at any depth. */
export const SFS_ADMIN_RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * The first reserved key (see {@link SFS_ADMIN_RESERVED_KEYS}) anywhere in a parsed value, or
 * undefined. Call on values already known not to be too deep.
 */
export function reservedKeyIn(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (SFS_ADMIN_RESERVED_KEYS.includes(key)) return key;
    const found = reservedKeyIn(child);
    if (found) return found;
  }
  return undefined;
}

/**
 * The body's bytes, or `too-large` as soon as they pass the limit (the rest is left to drain, so
 * the 413 can still be answered), or `aborted` when the client went away.
 */
function receive(request: IncomingMessage): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const done = (result: Buffer | 'too-large' | 'aborted') => {
      request.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > SFS_ADMIN_MAX_BODY_BYTES) done('too-large');
      else chunks.push(chunk);
    };
    const onEnd = () => done(Buffer.concat(chunks));
    const onAbort = () => done('aborted');
    request.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}

/** Whether a request carries a body at all (the same rule as body-parser's). */
function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

/**
 * Reads an admin request's body from the socket with the limits applied to the bytes as they
 * arrive: compressed bodies and other media types are refused (415) before a byte is read, more
 * than {@link SFS_ADMIN_MAX_BODY_BYTES} (declared or counted) is refused (413) without reading
 * further, then depth, UTF-8, JSON syntax and NUL characters are checked before anything parses
 * it (400 naming the field). Resolves `undefined` when there is no body to read.
 */
export async function readSfsAdminBody(
  request: IncomingMessage,
): Promise<SfsAdminBodyVerdict | undefined> {
  if (!hasBody(request)) return undefined;
  const encoding = String(request.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding !== 'identity') {
    return refuse(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'body content encoding is not supported (send it uncompressed)',
    );
  }
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  const [media, ...parameters] = type.split(';').map((part) => part.trim());
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length);
  if (media !== 'application/json' || (charset && charset.replace(/"/g, '') !== 'utf-8')) {
    return refuse(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'body media type is not supported (use application/json; charset=utf-8)',
    );
  }
  const tooLarge = () =>
    refuse(
      413,
      'PAYLOAD_TOO_LARGE',
      `request body must be at most ${SFS_ADMIN_MAX_BODY_BYTES} bytes`,
    );
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > SFS_ADMIN_MAX_BODY_BYTES) return tooLarge();

  const received = await receive(request);
  if (received === 'too-large') return tooLarge();
  if (received === 'aborted') return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(received);
  } catch {
    return invalid('body', 'must be UTF-8');
  }
  if (jsonTextTooDeep(text)) {
    return invalid('body', `must not nest deeper than ${SFS_ADMIN_MAX_BODY_DEPTH} levels`);
  }
  // Objects and arrays only, as body-parser's strict mode: a bare `null` must not read as "no filters".
  if (!/^[\s]*[[{]/.test(text)) return invalid('body', 'must be valid JSON');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return invalid('body', 'must be valid JSON');
  }
  const nul = fieldWithNul(body);
  if (nul) return invalid(nul, 'must not contain NUL characters');
  // Fastify's own parser refuses them with an error of its shape: refused here on every platform.
  const reserved = reservedKeyIn(body);
  if (reserved) return invalid(reserved, 'is not allowed');
  return { ok: true, body, bytes: received };
}
