import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { readSfsAdminBody } from './admin-body.limits';
import type { SfsAdminErrorBody } from './admin-exception.filter';

/**
 * Admin paths, wherever the host mounts its global prefix, in any letter case (Express matches
 * routes case-insensitively, so `/SFS/Admin/...` reaches the controller too).
 */
const ADMIN_PATH = /(^|\/)sfs\/admin\/tenants(\/|$)/i;

type Next = (error?: unknown) => void;
type ExpressLikeApp = {
  use(handler: (req: IncomingMessage, res: ServerResponse, next: Next) => void): unknown;
  router?: { stack?: unknown[] };
  _router?: { stack?: unknown[] };
};

function answer(response: ServerResponse, error: SfsAdminErrorBody): void {
  response.statusCode = error.statusCode;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  // The rest of an oversized body is not read: the connection cannot be reused.
  if (error.statusCode === 413) response.setHeader('Connection', 'close');
  response.end(JSON.stringify(error));
}

/** The middleware: admin bodies are read by `readSfsAdminBody`, everything else passes. */
export function sfsAdminBodyMiddleware(
  request: IncomingMessage,
  response: ServerResponse,
  next: Next,
): void {
  const path = (request.url ?? '').split('?')[0];
  if (!ADMIN_PATH.test(path)) return next();
  readSfsAdminBody(request).then(
    (verdict) => {
      if (!verdict) return request.destroyed ? undefined : next();
      if (!verdict.ok) return answer(response, verdict.error);
      (request as IncomingMessage & { body?: unknown }).body = verdict.body;
      next();
    },
    () =>
      answer(response, {
        statusCode: 400,
        code: 'INVALID_INPUT',
        message: 'body could not be read',
        field: 'body',
      }),
  );
}

/**
 * Puts {@link sfsAdminBodyMiddleware} in front of the host's body parsers, so admin bodies are
 * limited on the bytes as they arrive, before any parsing and before authentication. Express
 * hosts only (Nest's default platform): on another platform it logs once, and the admin API keeps
 * its checks on the parsed body (size, depth, NUL), behind the host's own body limit.
 */
@Injectable()
export class SfsAdminEdgeInstaller implements OnModuleInit {
  private readonly logger = new Logger('SfsAdminApi');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return; // an application context without HTTP: nothing to guard
    const app = adapter.getInstance?.() as ExpressLikeApp | undefined;
    if (adapter.getType?.() !== 'express' || !app || typeof app.use !== 'function') {
      this.logger.warn(
        'admin request bodies are limited after parsing on this HTTP platform (raw-byte limits need Express)',
      );
      return;
    }
    app.use(sfsAdminBodyMiddleware);
    // `use` appends; the body parsers Nest registered are already in the stack, so move ours first.
    const stack = app.router?.stack ?? app._router?.stack;
    if (Array.isArray(stack)) stack.unshift(stack.pop());
  }
}
