import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from './openapi.decorators';
import { SfsAdminActor } from './admin-actor.decorator';
import { SfsAdminExceptionFilter } from './admin-exception.filter';
import {
  type AdminHttpRequest,
  SfsAdminActionOf,
  SfsAdminGuard,
  sfsAdminRequestOf,
} from './admin.guard';
import { SfsAdminAuthorizer } from '../options/admin-authorizer';
import { sfsAdminValidationPipe } from './admin-validation.pipe';
import {
  SfsBulkRevokeBodyDto,
  SfsListRevocationsQueryDto,
  SfsListTokensQueryDto,
  SfsRetryRevocationsBodyDto,
  SfsMintTokenBodyDto,
  SfsOffboardTenantBodyDto,
  SfsPageQueryDto,
  SFS_ADMIN_REASONS,
  SfsRefreshTokenBodyDto,
  SfsRevokeTokenBodyDto,
  SfsTenantParamsDto,
  SfsTokenParamsDto,
} from './dto/admin-requests.dto';
import {
  SfsAdminAccessDto,
  SfsAdminErrorDto,
  SfsRetriedCountDto,
  SfsRevocationListDto,
  SfsRevokedCountDto,
  SfsTenantOffboardingDto,
  SfsTenantSummaryDto,
  SfsTokenDetailDto,
  SfsTokenEventListDto,
  SfsTokenListDto,
  SfsTokenRecordDto,
} from './dto/admin-responses.dto';
import { SfsTokenAdminService } from './token-admin.service';

/** The route prefix of the tenant admin API. */
export const SFS_ADMIN_ROUTE = 'sfs/admin/tenants/:tenantId';

/**
 * Tenant admin REST API: thin over {@link SfsTokenAdminService}; mounted with `adminApi: true`.
 *
 * @internal
 */
@ApiTags('sfs-auth admin')
@ApiBearerAuth()
@ApiResponse({
  status: 400,
  description: 'Invalid input (names the field)',
  type: SfsAdminErrorDto,
})
@ApiResponse({
  status: 401,
  description: 'Missing or invalid admin credentials',
  type: SfsAdminErrorDto,
})
@ApiResponse({ status: 403, description: 'Not an admin of this tenant', type: SfsAdminErrorDto })
@Controller(SFS_ADMIN_ROUTE)
@UseGuards(SfsAdminGuard)
@UsePipes(sfsAdminValidationPipe())
@UseFilters(SfsAdminExceptionFilter)
export class SfsAdminTokensController {
  constructor(
    private readonly admin: SfsTokenAdminService,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(SfsAdminAuthorizer) private readonly authorizer: SfsAdminAuthorizer,
  ) {}

  @Get('tokens')
  @ApiOperation({ summary: "List the tenant's token records, newest first" })
  @ApiOkResponse({ type: SfsTokenListDto })
  list(@Param() params: SfsTenantParamsDto, @Query() query: SfsListTokensQueryDto) {
    return this.admin.list(params.tenantId, query);
  }

  @Post('tokens/revoke')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke every live token matching the filters (none: all); dryRun counts them',
  })
  @ApiOkResponse({ type: SfsRevokedCountDto })
  revokeMany(
    @Param() params: SfsTenantParamsDto,
    @Body() body: SfsBulkRevokeBodyDto,
    @SfsAdminActor() actor: string,
  ) {
    return this.admin.revokeMany(params.tenantId, body, actor);
  }

  @Get('tokens/:tokenId')
  @ApiOperation({ summary: 'One token record with its recent events' })
  @ApiOkResponse({ type: SfsTokenDetailDto })
  @ApiResponse({ status: 404, description: 'No such token in this tenant', type: SfsAdminErrorDto })
  get(@Param() params: SfsTokenParamsDto) {
    return this.admin.get(params.tenantId, params.tokenId);
  }

  @Post('tokens')
  @ApiOperation({ summary: "Mint the key's token, or return the active one" })
  @ApiCreatedResponse({ description: 'Minted', type: SfsTokenRecordDto })
  @ApiOkResponse({ description: 'Already active', type: SfsTokenRecordDto })
  async mint(
    @Param() params: SfsTenantParamsDto,
    @Body() body: SfsMintTokenBodyDto,
    @SfsAdminActor() actor: string,
    @Res({ passthrough: true }) response: unknown,
  ) {
    const { created, record } = await this.admin.mint(params.tenantId, body, actor);
    this.adapterHost.httpAdapter.status(response, created ? 201 : 200);
    return record;
  }

  @Post('tokens/:tokenId/refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace an active token now' })
  @ApiOkResponse({ description: 'The new record', type: SfsTokenRecordDto })
  @ApiResponse({ status: 409, description: 'The token is not active', type: SfsAdminErrorDto })
  refresh(
    @Param() params: SfsTokenParamsDto,
    @Body() body: SfsRefreshTokenBodyDto,
    @SfsAdminActor() actor: string,
  ) {
    return this.admin.refresh(params.tenantId, params.tokenId, actor, body.reason);
  }

  @Delete('tokens/:tokenId')
  @ApiOperation({ summary: 'Revoke one token (idempotent)' })
  @ApiOkResponse({ type: SfsTokenRecordDto })
  revoke(@Param() params: SfsTokenParamsDto, @SfsAdminActor() actor: string) {
    return this.admin.revoke(params.tenantId, params.tokenId, actor);
  }

  @Post('tokens/:tokenId/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke one token with a reason for the audit trail (idempotent)' })
  @ApiOkResponse({ type: SfsTokenRecordDto })
  @ApiResponse({ status: 404, description: 'No such token in this tenant', type: SfsAdminErrorDto })
  revokeWithReason(
    @Param() params: SfsTokenParamsDto,
    @Body() body: SfsRevokeTokenBodyDto,
    @SfsAdminActor() actor: string,
  ) {
    return this.admin.revoke(params.tenantId, params.tokenId, actor, body.reason);
  }

  @Delete()
  @HttpCode(202)
  @SfsAdminActionOf('offboard-tenant')
  @ApiOperation({
    summary:
      'Offboard the tenant: stop serving it, revoke every live token at SFS, then purge its rows ' +
      'and events and destroy its data key, keeping one tombstone (idempotent; progress in GET /summary)',
  })
  @ApiResponse({
    status: 202,
    description: 'Started, or where it stands',
    type: SfsTenantOffboardingDto,
  })
  offboard(
    @Param() params: SfsTenantParamsDto,
    @Body() body: SfsOffboardTenantBodyDto,
    @SfsAdminActor() actor: string,
  ) {
    return this.admin.offboard(params.tenantId, body.reason ?? SFS_ADMIN_REASONS.offboard, actor);
  }

  @Get('summary')
  @ApiOperation({
    summary: 'Counts by status, next refresh, overdue refreshes, revocation backlog',
  })
  @ApiOkResponse({ type: SfsTenantSummaryDto })
  summary(@Param() params: SfsTenantParamsDto) {
    return this.admin.summary(params.tenantId);
  }

  @Get('access')
  @ApiOperation({ summary: 'What these credentials may do in the tenant (read, act, offboard)' })
  @ApiOkResponse({ type: SfsAdminAccessDto })
  async access(
    @Param() params: SfsTenantParamsDto,
    @Req() request: AdminHttpRequest,
  ): Promise<SfsAdminAccessDto> {
    const offboard = await this.authorizer.authorize(
      sfsAdminRequestOf(request, 'offboard-tenant'),
      params.tenantId,
    );
    return {
      tenantId: params.tenantId,
      actor: request.sfsAdminActor ?? 'admin',
      canAct: request.sfsAdminReadOnly !== true,
      canOffboard: offboard.allowed && offboard.readOnly !== true,
    };
  }

  @Get('revocations')
  @ApiOperation({
    summary: 'The revocation outbox: revocations SFS has not confirmed, or gave up on',
  })
  @ApiOkResponse({ type: SfsRevocationListDto })
  revocations(@Param() params: SfsTenantParamsDto, @Query() query: SfsListRevocationsQueryDto) {
    return this.admin.revocations(params.tenantId, query);
  }

  @Post('revocations/retry')
  @HttpCode(200)
  @ApiOperation({ summary: "Queue failed revocations again (one token's, or all)" })
  @ApiOkResponse({ type: SfsRetriedCountDto })
  retryRevocations(
    @Param() params: SfsTenantParamsDto,
    @Body() body: SfsRetryRevocationsBodyDto,
    @SfsAdminActor() actor: string,
  ) {
    return this.admin.retryRevocations(params.tenantId, body, actor);
  }

  @Get('events')
  @ApiOperation({ summary: "The tenant's audit trail, newest first" })
  @ApiOkResponse({ type: SfsTokenEventListDto })
  events(@Param() params: SfsTenantParamsDto, @Query() query: SfsPageQueryDto) {
    return this.admin.events(params.tenantId, query);
  }
}
