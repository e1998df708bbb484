import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter, HttpAdapterHost } from '@nestjs/core';
import { SfsAdminExceptionFilter } from '../index';

/** Paths that answer errors in the admin shape, even when no route handler ran. */
// Express routes ignore case; any number of slashes, as a client may send them (`//demo/login`).
const ADMIN_SHAPED_PATH = /^\/+(sfs\/+admin|demo)(\/|\?|$)/i;

/**
 * The demo host's global filter. A controller's filter never sees errors raised before its handler
 * (body parser, path decoding, unknown route), so under the admin API and the demo routes those get
 * the admin error shape (`{ statusCode, code, message, field? }`) too; elsewhere Nest's default.
 */
@Catch()
export class DemoEdgeExceptionFilter extends BaseExceptionFilter {
  private readonly admin: SfsAdminExceptionFilter;

  constructor(adapterHost: HttpAdapterHost) {
    super(adapterHost.httpAdapter);
    this.admin = new SfsAdminExceptionFilter(adapterHost);
  }

  override catch(error: unknown, host: ArgumentsHost): void {
    const { url } = host.switchToHttp().getRequest<{ url: string }>();
    if (ADMIN_SHAPED_PATH.test(url)) return this.admin.catch(error, host);
    super.catch(error, host);
  }
}
