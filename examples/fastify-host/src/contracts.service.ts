import { Injectable } from '@nestjs/common';
import { SfsTokenService } from 'nestjs-sfs-auth';

@Injectable()
export class ContractsService {
  constructor(private readonly tokens: SfsTokenService) {}

  async bearerFor(tenantId: string, clientKey: string, userId: string): Promise<string> {
    const { accessToken } = await this.tokens.getClientToken({ tenantId, clientKey, subjectId: userId });
    return `Bearer ${accessToken}`;
  }
}
