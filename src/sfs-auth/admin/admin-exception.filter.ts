import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SfsAuthError, SfsInvalidInputError } from '../errors/sfs-auth.error';
import { type SfsAdminErrorBody, sfsAdminAnswer } from './admin-answer';

export type { SfsAdminErrorBody } from './admin-answer';

const STATUS_OF_CODE: Partial<Record<SfsAuthError['code'], number>> = {
  INVALID_INPUT: HttpStatus.BAD_REQUEST,
  ADMIN_UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  ADMIN_FORBIDDEN: HttpStatus.FORBIDDEN,
  ADMIN_THROTTLED: HttpStatus.TOO_MANY_REQUESTS,
  TOKEN_NOT_FOUND: HttpStatus.NOT_FOUND,
  TOKEN_NOT_ACTIVE: HttpStatus.CONFLICT,
  TOKEN_CONFLICT: HttpStatus.CONFLICT,
  SHUTTING_DOWN: HttpStatus.SERVICE_UNAVAILABLE,
  TENANT_OFFBOARDED: HttpStatus.GONE,
};

/** Maps an error to the admin API's status and body; messages of typed errors are safe to show. */
export function sfsAdminErrorResponse(error: unknown): SfsAdminErrorBody {
  if (error instanceof SfsAuthError) {
    const statusCode =
      STATUS_OF_CODE[error.code] ??
      (error.retryable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY);
    const body: SfsAdminErrorBody = { statusCode, code: error.code, message: error.message };
    if (error instanceof SfsInvalidInputError) body.field = error.field;
    return body;
  }
  const early = beforeRouteProblem(error);
  if (early) return early;
  if (error instanceof HttpException) {
    const statusCode = error.getStatus();
    const code = HttpStatus[statusCode] ?? 'HTTP_ERROR';
    // Nest's own messages (body parser, route not found) are generic; never echo a cause.
    return { statusCode, code, message: statusCode < 500 ? error.message : 'internal error' };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'internal error' };
}

const BODY_PROBLEMS: Record<string, string> = {
  'entity.too.large': 'is too large',
  'charset.unsupported': 'charset is not supported (use utf-8)',
  'encoding.unsupported': 'content encoding is not supported',
  'parameters.too.many': 'has too many parameters',
};

/**
 * Client errors of the HTTP stack before the route handler (body parser, path decoding), as they
 * reach a filter applied globally for the admin prefix: the admin shape, a fixed message, a field.
 */
function beforeRouteProblem(error: unknown): SfsAdminErrorBody | undefined {
  // Nest turns body-parser's SyntaxError and the router's URIError into a BadRequestException.
  if (error instanceof BadRequestException) {
    if (/decode param/i.test(error.message)) {
      return invalid('path', 'must be valid percent-encoded UTF-8');
    }
    if (/JSON/.test(error.message)) return invalid('body', 'must be valid JSON');
    return undefined;
  }
  if (error instanceof HttpException || !(error instanceof Error)) return undefined;
  const { expose, statusCode, type } = error as {
    expose?: unknown;
    statusCode?: unknown;
    type?: unknown;
  };
  if (expose !== true || typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499) {
    return undefined;
  }
  const problem = (typeof type === 'string' && BODY_PROBLEMS[type]) || 'could not be read';
  if (statusCode === HttpStatus.BAD_REQUEST) return invalid('body', problem);
  return { statusCode, code: HttpStatus[statusCode] ?? 'HTTP_ERROR', message: `body ${problem}` };
}

function invalid(field: string, problem: string): SfsAdminErrorBody {
  return { statusCode: 400, code: 'INVALID_INPUT', message: `${field} ${problem}`, field };
}

/**
 * The admin controller's one exception filter: the only place where HTTP statuses meet the
 * module's typed errors. Unexpected errors answer a generic 500 and are logged by name only.
 * Answers through Nest's HTTP adapter, so Express and Fastify hosts get the same bytes.
 *
 * @group Admin API
 * @publicApi
 */
@Catch()
export class SfsAdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SfsAdminApi');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const body = sfsAdminErrorResponse(error);
    if (body.statusCode >= 500) {
      const name = error instanceof SfsAuthError ? error.code : (error as Error)?.name;
      this.logger.error(`admin request failed: ${name ?? 'unknown error'}`);
    }
    const retryAfterMs = error instanceof SfsAuthError ? error.retryAfterMs : undefined;
    sfsAdminAnswer(this.adapterHost.httpAdapter, host.switchToHttp().getResponse(), body, {
      retryAfterMs,
    });
  }
}
