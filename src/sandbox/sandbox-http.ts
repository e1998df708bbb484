import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body the sandbox reads; bigger ones get 413. */
export const SANDBOX_MAX_BODY_BYTES = 64 * 1024;

/** A request as the sandbox handlers see it: fully read, nothing parsed but the URL. */
export interface SandboxRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body bytes as received. */
  raw: Buffer;
  tooLarge: boolean;
}

/** An answer to send: status, JSON body (none for 204) and extra headers. */
export interface SandboxReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An SFS-style error answer: `{code, message}` with the status as a string code. */
export function errorReply(
  status: number,
  message: string,
  headers?: Record<string, string>,
): SandboxReply {
  return { status, body: { code: String(status), message }, headers };
}

/** One header as a single string (repeated headers joined with `, `). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Reads the whole request; past {@link SANDBOX_MAX_BODY_BYTES} it drains and flags `tooLarge`. */
export function readRequest(req: IncomingMessage): Promise<SandboxRequest> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= SANDBOX_MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
      resolve({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        raw: size <= SANDBOX_MAX_BODY_BYTES ? Buffer.concat(chunks) : Buffer.alloc(0),
        tooLarge: size > SANDBOX_MAX_BODY_BYTES,
      });
    });
  });
}

/** Sends a reply as JSON, unless the socket is already gone (closed sandbox, client abort). */
export function sendReply(res: ServerResponse, reply: SandboxReply): void {
  if (res.headersSent || res.destroyed) return;
  const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
  const headers: Record<string, string | number> = {
    'Cache-Control': 'no-store',
    ...reply.headers,
  };
  if (reply.body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = Buffer.byteLength(payload);
  res.writeHead(reply.status, headers);
  res.end(payload);
}
