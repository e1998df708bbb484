import { Inject, Injectable } from '@nestjs/common';
import { toTokenKey, type SfsClientTokenRequest } from '../model/token-inputs';
import { SfsCredentialsResolver } from '../options/credentials-resolver';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SfsTokenServingService } from '../serving/token-serving.service';
import { apiKeyAuth } from '../sfs/sfs-wire';

/**
 * Headers and `data` fields to put on an SFS call in the configured auth mode.
 *
 * @group Tokens
 * @publicApi
 */
export interface SfsCallAuth {
  /** Headers to set: `Authorization: Bearer <token>`, or the api-key mode's `X-Sendforsign-Key`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Fields to add to the body's `data`: `clientKey` in the api-key mode, none in token mode. */
  readonly data: Readonly<Record<string, string>>;
  /** The token used (token mode only), so a 401 can replace exactly that one. */
  readonly tokenId?: string;
}

/**
 * The auth of an SFS call on behalf of a tenant's client (`authMode`): a Bearer client token, or
 * the testing-only api-key header with `clientKey` in `data`.
 *
 * @internal
 */
@Injectable()
export class SfsCallAuthService {
  constructor(
    private readonly serving: SfsTokenServingService,
    @Inject(SfsCredentialsResolver) private readonly credentials: SfsCredentialsResolver,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'authMode'>,
  ) {}

  /** The auth of a call for `request`'s key. */
  async authFor(request: SfsClientTokenRequest): Promise<SfsCallAuth> {
    const key = toTokenKey(request);
    if (this.options.authMode === 'api-key') {
      const { apiKey } = await this.credentials.resolve(key.tenantId);
      return apiKeyAuth(apiKey, key.clientKey);
    }
    const token = await this.serving.get(key, 'host');
    return {
      headers: { Authorization: `Bearer ${token.accessToken}` },
      data: {},
      tokenId: token.tokenId,
    };
  }

  /** After SFS rejected `tokenId` (401): replaces it with a new token, once, and returns the new auth. */
  async replaceRejected(request: SfsClientTokenRequest, tokenId: string): Promise<SfsCallAuth> {
    await this.serving.replaceRejected(toTokenKey(request), tokenId);
    return this.authFor(request);
  }
}
