import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type AbstractHttpAdapter, HttpAdapterHost } from '@nestjs/core';
import { SFS_ADMIN_ANSWER_HEADERS, sfsAdminAnswer } from './admin-answer';
import { readSfsAdminBody } from './admin-body.limits';

/**
 * Admin paths, wherever the host mounts its global prefix, in any letter case (Express matches
 * routes case-insensitively, so `/SFS/Admin/...` reaches the controller too).
 */
const ADMIN_PATH = /(^|\/)sfs\/admin\/tenants(\/|$)/i;

const isAdminPath = (request: IncomingMessage): boolean =>
  ADMIN_PATH.test((request.url ?? '').split('?')[0]);

/** Request headers that would let a platform answer 304 from a validator (admin reads have none). */
const CONDITIONAL_HEADERS = ['if-none-match', 'if-modified-since'];

/** What the edge decided about one request. */
type Admission =
  /** Not an admin request: untouched. */
  | { readonly kind: 'other' }
  /** An admin request without a body: the platform goes on as usual. */
  | { readonly kind: 'pass' }
  /** An admin body within the limits, read and parsed. */
  | { readonly kind: 'body'; readonly body: unknown; readonly bytes: Buffer }
  /** Answered already (4xx), or the client went away. */
  | { readonly kind: 'done' };

const OTHER: Admission = { kind: 'other' };
const PASS: Admission = { kind: 'pass' };
const DONE: Admission = { kind: 'done' };

/**
 * The platform-neutral step, run before the host's body parsers: every admin answer gets the
 * headers of {@link SFS_ADMIN_ANSWER_HEADERS}, conditional request headers are dropped (no 304),
 * and the body is read with the limits of admin-body.limits.ts on the bytes as they arrive, the
 * refusal answered through Nest's HTTP adapter before any parsing and authentication.
 */
export async function admitSfsAdminRequest(
  adapter: AbstractHttpAdapter,
  request: IncomingMessage,
  response: unknown,
): Promise<Admission> {
  if (!isAdminPath(request)) return OTHER;
  for (const name of CONDITIONAL_HEADERS) delete request.headers[name];
  for (const [name, value] of Object.entries(SFS_ADMIN_ANSWER_HEADERS)) {
    adapter.setHeader(response, name, value);
  }
  let verdict: Awaited<ReturnType<typeof readSfsAdminBody>>;
  try {
    verdict = await readSfsAdminBody(request);
  } catch {
    verdict = {
      ok: false,
      error: {
        statusCode: 400,
        code: 'INVALID_INPUT',
        message: 'body could not be read',
        field: 'body',
      },
    };
  }
  if (!verdict) {
    // Nothing to parse: without its Content-Type no platform parses an empty body (Fastify
    // refuses an empty JSON body with a 400 of its own shape, Express reads no body at all).
    delete request.headers['content-type'];
    return request.destroyed ? DONE : PASS;
  }
  if (!verdict.ok) {
    sfsAdminAnswer(adapter, response, verdict.error);
    return DONE;
  }
  return { kind: 'body', body: verdict.body, bytes: verdict.bytes };
}

type Next = (error?: unknown) => void;
interface ExpressLikeApp {
  use(handler: (req: IncomingMessage, res: unknown, next: Next) => void): unknown;
  router?: { stack?: unknown[] };
  _router?: { stack?: unknown[] };
}
/** Identifiers are up to 128 characters (model/identifiers.ts); Fastify's default is 100. */
const LONGEST_PARAM = 128;

interface FastifyLikeApp {
  initialConfig?: { maxParamLength?: number; routerOptions?: { maxParamLength?: number } };
  addHook(
    name: 'preParsing',
    hook: (request: { raw: IncomingMessage }, reply: unknown, payload: unknown) => Promise<unknown>,
  ): unknown;
}

/**
 * Express computes an `ETag` for every body it sends (the app's `etag` setting); an admin answer
 * must carry none. Node's `writeHead` is where the headers leave, on every platform: the header
 * is dropped there (the pattern of the `on-headers` package), and no 304 is possible since the
 * conditional request headers are gone.
 */
function withoutEtag(response: ServerResponse): void {
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    this.removeHeader('ETag');
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
}

/** Express: a middleware moved in front of the body parsers Nest registered. */
function installOnExpress(adapter: AbstractHttpAdapter, app: ExpressLikeApp): void {
  app.use((request, response, next) => {
    if (isAdminPath(request)) withoutEtag(response as ServerResponse);
    void admitSfsAdminRequest(adapter, request, response).then((admission) => {
      if (admission.kind === 'done') return;
      if (admission.kind === 'body')
        (request as IncomingMessage & { body?: unknown }).body = admission.body;
      next();
    });
  });
  // `use` appends; the body parsers Nest registered are already in the stack, so move ours first.
  const stack = app.router?.stack ?? app._router?.stack;
  if (Array.isArray(stack)) stack.unshift(stack.pop());
}

/**
 * Fastify: a `preParsing` hook (it runs before the content-type parser and receives the raw
 * stream); the bytes it read are handed back as the payload for Fastify's own JSON parser, which
 * sees only bodies already within the limits. The host's other routes and limits are untouched.
 */
function installOnFastify(adapter: AbstractHttpAdapter, app: FastifyLikeApp): void {
  app.addHook('preParsing', async (request, reply, payload) => {
    const admission = await admitSfsAdminRequest(adapter, request.raw, reply);
    if (admission.kind !== 'body') return payload;
    const replay = Readable.from([admission.bytes]) as Readable & {
      receivedEncodedLength?: number;
    };
    replay.receivedEncodedLength = admission.bytes.length;
    return replay;
  });
}

/**
 * Installs {@link admitSfsAdminRequest} at the front of the host's HTTP platform, so admin bodies
 * are limited on the bytes as they arrive, before any parsing and before authentication, with
 * the same answers on Express and Fastify. Another platform gets a warning, and the admin API
 * keeps its checks on the parsed body (size, depth, NUL) behind the host's own body limit.
 *
 * @internal
 */
@Injectable()
export class SfsAdminRequestLimits implements OnModuleInit {
  private readonly logger = new Logger('SfsAdminApi');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return; // an application context without HTTP: nothing to guard
    const instance = adapter.getInstance?.() as
      Partial<ExpressLikeApp & FastifyLikeApp> | undefined;
    const type = adapter.getType?.();
    if (type === 'express' && typeof instance?.use === 'function') {
      installOnExpress(adapter, instance as ExpressLikeApp);
    } else if (type === 'fastify' && typeof instance?.addHook === 'function') {
      installOnFastify(adapter, instance as FastifyLikeApp);
      const config = (instance as FastifyLikeApp).initialConfig;
      const longest = config?.routerOptions?.maxParamLength ?? config?.maxParamLength;
      if (longest !== undefined && longest < LONGEST_PARAM) {
        this.logger.warn(
          `Fastify's maxParamLength is ${longest}: admin URLs of tenant ids longer than that ` +
            `answer 414; create the adapter with routerOptions: { maxParamLength: ${LONGEST_PARAM} }`,
        );
      }
    } else {
      this.logger.warn(
        `admin request bodies are limited after parsing on the HTTP platform "${String(type)}" ` +
          '(raw-byte limits need Express or Fastify)',
      );
    }
  }
}
