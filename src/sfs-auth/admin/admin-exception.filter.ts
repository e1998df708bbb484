import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { SfsAuthError, SfsInvalidInputError } from '../errors/sfs-auth.error';

/** The JSON body of every admin error. */
export interface SfsAdminErrorBody {
  statusCode: number;
  code: string;
  message: string;
  field?: string;
}

const STATUS_OF_CODE: Partial<Record<SfsAuthError['code'], number>> = {
  INVALID_INPUT: HttpStatus.BAD_REQUEST,
  ADMIN_UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  ADMIN_FORBIDDEN: HttpStatus.FORBIDDEN,
  TOKEN_NOT_FOUND: HttpStatus.NOT_FOUND,
  TOKEN_NOT_ACTIVE: HttpStatus.CONFLICT,
  TOKEN_CONFLICT: HttpStatus.CONFLICT,
  SHUTTING_DOWN: HttpStatus.SERVICE_UNAVAILABLE,
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
  if (error instanceof HttpException) {
    const statusCode = error.getStatus();
    const code = HttpStatus[statusCode] ?? 'HTTP_ERROR';
    // Nest's own messages (body parser, route not found) are generic; never echo a cause.
    return { statusCode, code, message: statusCode < 500 ? error.message : 'internal error' };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'internal error' };
}

/**
 * The admin controller's one exception filter: the only place where HTTP statuses meet the
 * module's typed errors. Unexpected errors answer a generic 500 and are logged by name only.
 */
@Catch()
export class SfsAdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SfsAdminApi');

  catch(error: unknown, host: ArgumentsHost): void {
    const body = sfsAdminErrorResponse(error);
    if (body.statusCode >= 500) {
      const name = error instanceof SfsAuthError ? error.code : (error as Error)?.name;
      this.logger.error(`admin request failed: ${name ?? 'unknown error'}`);
    }
    const response = host.switchToHttp().getResponse<{
      status(code: number): { json(body: unknown): void };
      setHeader(name: string, value: string): void;
    }>();
    if (body.statusCode === HttpStatus.UNAUTHORIZED)
      response.setHeader('WWW-Authenticate', 'Bearer');
    if (error instanceof SfsAuthError && error.retryAfterMs) {
      response.setHeader('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
    }
    response.status(body.statusCode).json(body);
  }
}
