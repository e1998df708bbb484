import { Module } from '@nestjs/common';
import { SfsCallAuthService } from './call-auth.service';
import { SfsApiClient } from './sfs-api.client';
import { SfsTokenService } from './sfs-token.service';

/**
 * What a host injects: `SfsTokenService` and `SfsApiClient`.
 *
 * @internal
 */
@Module({
  providers: [SfsCallAuthService, SfsTokenService, SfsApiClient],
  exports: [SfsTokenService, SfsApiClient],
})
export class SfsHostApiModule {}
