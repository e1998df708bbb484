import { Inject, Injectable } from '@nestjs/common';
import { SfsPlatformTokenProvider } from './platform-token.provider';
import { SfsTokenApi } from './sfs-token.api';
import type { SfsIssuedToken } from './sfs-wire';

/**
 * The client-token calls made for a tenant, each with the tenant's platform token (minted, renewed,
 * and replaced once when SFS rejects it, by {@link SfsPlatformTokenProvider}). Minting, revoking
 * through the outbox and discarding an unrecorded token all call SFS through here.
 *
 * @internal
 */
@Injectable()
export class SfsClientTokenCalls {
  constructor(
    @Inject(SfsTokenApi) private readonly api: SfsTokenApi,
    private readonly platform: SfsPlatformTokenProvider,
  ) {}

  /**
   * Mints a client token for `clientKey`. `onLateToken` receives a token SFS issued in an answer
   * that came after the timeout (this call has failed by then).
   */
  create(
    tenantId: string,
    clientKey: string,
    onLateToken?: (token: SfsIssuedToken) => void,
  ): Promise<SfsIssuedToken> {
    return this.platform.withPlatformToken(tenantId, (platformToken) =>
      this.api.createClientToken(platformToken, clientKey, { tenantId, onLateToken }),
    );
  }

  /** Revokes a client token of `tenantId`. */
  revoke(tenantId: string, accessToken: string): Promise<void> {
    return this.platform.withPlatformToken(tenantId, (platformToken) =>
      this.api.revokeClientToken(platformToken, accessToken, { tenantId }),
    );
  }
}
