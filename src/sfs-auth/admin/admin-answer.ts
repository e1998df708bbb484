import { HttpStatus } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';

/**
 * The JSON body of every admin error.
 *
 * @internal
 */
export interface SfsAdminErrorBody {
  statusCode: number;
  code: string;
  message: string;
  field?: string;
}

/**
 * Headers of every admin answer: nothing an admin reads may be kept by a browser or a proxy. Set
 * first, on every admin request, by the edge (admin-request-limits.ts), and again on every error.
 */
export const SFS_ADMIN_ANSWER_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
};

/** What an error answer carries besides its body. */
export interface SfsAdminAnswerExtras {
  /** Sent as `Retry-After`, in whole seconds rounded up. */
  readonly retryAfterMs?: number;
}

/**
 * Writes an admin error answer through Nest's HTTP adapter (never a platform's own response API),
 * so Express and Fastify hosts send the same status, body and headers: `WWW-Authenticate` on 401,
 * `Retry-After` when known, `Connection: close` on 413 (the rest of the body is never read).
 */
export function sfsAdminAnswer(
  adapter: AbstractHttpAdapter,
  response: unknown,
  body: SfsAdminErrorBody,
  extras: SfsAdminAnswerExtras = {},
): void {
  for (const [name, value] of Object.entries(SFS_ADMIN_ANSWER_HEADERS)) {
    adapter.setHeader(response, name, value);
  }
  if (body.statusCode === HttpStatus.UNAUTHORIZED) {
    adapter.setHeader(response, 'WWW-Authenticate', 'Bearer');
  }
  if (extras.retryAfterMs) {
    adapter.setHeader(response, 'Retry-After', String(Math.ceil(extras.retryAfterMs / 1000)));
  }
  if (body.statusCode === HttpStatus.PAYLOAD_TOO_LARGE) {
    adapter.setHeader(response, 'Connection', 'close');
  }
  adapter.reply(response, body, body.statusCode);
}
