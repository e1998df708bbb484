import { Controller, Get, Header, Req, Sse, UseFilters } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { SfsAdminExceptionFilter } from '../admin/admin-exception.filter';
import {
  type SfsHandedToken,
  type SfsSessionEvent,
  SfsSessionTokenService,
} from './session-token.service';

/**
 * The browser hand-off, on with `handoff.resolveSubject`: the signed-in user's client token and a
 * live stream of its replacements and revocation. Same origin only (no CORS headers are set);
 * errors in the admin API's shape.
 *
 * @internal
 */
@Controller('sfs/session/token')
@UseFilters(SfsAdminExceptionFilter)
export class SfsSessionTokenController {
  constructor(private readonly handoff: SfsSessionTokenService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async token(@Req() request: unknown): Promise<SfsHandedToken> {
    return this.handoff.handOff(await this.handoff.subjectOf(request));
  }

  @Sse('stream')
  async stream(@Req() request: unknown): Promise<Observable<SfsSessionEvent>> {
    return this.handoff.open(await this.handoff.subjectOf(request));
  }
}
