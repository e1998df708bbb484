import { Controller, Get, Param, Query } from '@nestjs/common';
import { ContractsService } from './contracts.service';

// One route over the host's service, to see the token come back. An example only: a real host
// takes the tenant and the user from its own authenticated session, never from the URL, and
// puts the header on its own SFS calls instead of handing it out.
@Controller('tenants/:tenantId/clients/:clientKey')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get('authorization')
  async authorization(
    @Param('tenantId') tenantId: string,
    @Param('clientKey') clientKey: string,
    @Query('userId') userId: string,
  ): Promise<{ authorization: string }> {
    return { authorization: await this.contracts.bearerFor(tenantId, clientKey, userId) };
  }
}
