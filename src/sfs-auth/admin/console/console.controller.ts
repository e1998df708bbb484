import {
  Controller,
  Get,
  Header,
  Inject,
  NotFoundException,
  Req,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '../openapi.decorators';
import { SfsAdminExceptionFilter } from '../admin-exception.filter';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../../options/option-table';
import { type SfsConsoleAsset, SFS_CONSOLE_ASSETS, sfsConsoleFile } from './console-assets';

/** Injection token: whether the `adminApi: { console: true }` extra asked for the console. */
export const SFS_ADMIN_CONSOLE_EXTRA = Symbol('SFS_ADMIN_CONSOLE_EXTRA');

/**
 * Same origin only: scripts, styles and calls from this origin, no inline script, no framing, no
 * form posted anywhere, no `<base>` rewrite.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the page was asked for: `<prefix>/sfs/admin/console`, the prefix kept (safe characters). */
const PAGE_PATH = /^((?:\/[A-Za-z0-9._~-]+)*?)(\/sfs\/admin)\/console\/?$/i;

/**
 * The admin console: one page and its two files, served by Nest (so Express and Fastify alike,
 * the global prefix honoured) when `admin.console` or `adminApi: { console: true }` is set, else
 * 404. It is only a client of the admin API: every call it makes goes through the admin guard,
 * its throttle and its audit trail.
 *
 * @internal
 */
@ApiExcludeController()
@Controller('sfs/admin/console')
@UseFilters(SfsAdminExceptionFilter)
export class SfsAdminConsoleController {
  private readonly enabled: boolean;

  constructor(
    @Inject(SFS_AUTH_RESOLVED_OPTIONS) options: Pick<SfsAuthResolvedOptions, 'admin'>,
    @Inject(SFS_ADMIN_CONSOLE_EXTRA) extra: boolean,
  ) {
    this.enabled = extra || options.admin.console;
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('X-Frame-Options', 'DENY')
  @Header('Cache-Control', 'no-store')
  page(@Req() request: { url: string }): string {
    const match = this.enabled ? PAGE_PATH.exec(request.url.split('?')[0]) : null;
    if (!match) throw new NotFoundException('no admin console here');
    const api = `${match[1]}${match[2]}`;
    return sfsConsoleFile('index.html')
      .replaceAll('{{api}}', api)
      .replaceAll('{{assets}}', `${api}/console/assets`);
  }

  @Get('assets/console.js')
  @Header('Content-Type', SFS_CONSOLE_ASSETS['console.js'])
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-store')
  script(): string {
    return this.file('console.js');
  }

  @Get('assets/console.css')
  @Header('Content-Type', SFS_CONSOLE_ASSETS['console.css'])
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-store')
  styles(): string {
    return this.file('console.css');
  }

  private file(name: SfsConsoleAsset): string {
    if (!this.enabled) throw new NotFoundException('no admin console here');
    return sfsConsoleFile(name);
  }
}
