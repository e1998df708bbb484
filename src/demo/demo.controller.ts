import {
  Body,
  Controller,
  HttpCode,
  Inject,
  Post,
  Res,
  UseFilters,
  UsePipes,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  SFS_AUTH_EVENTS,
  SfsAdminExceptionFilter,
  SfsLoginEvent,
  SfsLogoutEvent,
  SfsTokenService,
} from '../index';
// The admin API's own pipe, reused so the demo's bodies fail exactly like the admin API's.
import { sfsAdminValidationPipe } from '../sfs-auth/admin/admin-validation.pipe';
import { DemoLoginDto, DemoLoginResponseDto, DemoLogoutDto } from './demo.dto';
import { DemoSessions } from './demo-session';

/**
 * DEMO ONLY: "logs in" whoever asks (there is no user authentication here). Shows how a host
 * wires its own login and logout into the module's events.
 */
@ApiTags('demo (no real authentication)')
@Controller('demo')
@UsePipes(sfsAdminValidationPipe())
@UseFilters(SfsAdminExceptionFilter)
export class DemoController {
  constructor(
    private readonly events: EventEmitter2,
    private readonly tokens: SfsTokenService,
    @Inject(DemoSessions) private readonly sessions: DemoSessions,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Emit sfs-auth.login, return the user's client token and set the demo_session cookie " +
      '(what GET /sfs/session/token reads)',
  })
  @ApiOkResponse({ type: DemoLoginResponseDto })
  async login(
    @Body() body: DemoLoginDto,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<DemoLoginResponseDto> {
    const key = { tenantId: body.tenantId, clientKey: body.clientKey, subjectId: body.userId };
    // The module's listener mints the token eagerly; awaiting the emit makes the answer reuse it.
    await this.events.emitAsync(
      SFS_AUTH_EVENTS.login,
      new SfsLoginEvent(key.tenantId, key.clientKey, key.subjectId),
    );
    const token = await this.tokens.getClientToken(key);
    this.adapterHost.httpAdapter.setHeader(response, 'Set-Cookie', this.sessions.cookieFor(key));
    return {
      subjectId: body.userId,
      tokenId: token.tokenId,
      accessToken: token.accessToken,
      expiresAt: token.expiresAt.toISOString(),
    };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Emit sfs-auth.logout: every token of the user is revoked' })
  @ApiNoContentResponse()
  async logout(
    @Body() body: DemoLogoutDto,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<void> {
    this.adapterHost.httpAdapter.setHeader(response, 'Set-Cookie', this.sessions.clearedCookie());
    await this.events.emitAsync(
      SFS_AUTH_EVENTS.logout,
      new SfsLogoutEvent(body.tenantId, body.userId, undefined, 'demo logout'),
    );
  }
}
