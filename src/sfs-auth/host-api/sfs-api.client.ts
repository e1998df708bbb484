import { Injectable } from '@nestjs/common';
import { SfsAuthError, SfsInvalidInputError } from '../errors/sfs-auth.error';
import { SfsHttpTransport } from '../sfs/sfs-http.transport';
import type { SfsClientTokenRequest } from '../model/token-inputs';
import { SfsTokenService, type SfsCallAuth } from './sfs-token.service';

const ENTITY = /^[a-z][a-z0-9_-]{0,63}$/;

/**
 * Calls any SFS entity endpoint (`POST /api/{entity}` with `{ data }`) on behalf of a tenant's
 * client, with the auth of the configured mode. On a 401 in token mode the token is replaced once
 * and the call retried once.
 *
 * @hideconstructor
 * @group Tokens
 * @publicApi
 */
@Injectable()
export class SfsApiClient {
  constructor(
    private readonly tokens: SfsTokenService,
    private readonly transport: SfsHttpTransport,
  ) {}

  /** Returns SFS's JSON answer; failures are {@link SfsAuthError}s. */
  async call(
    ctx: SfsClientTokenRequest,
    entity: string,
    data: Record<string, unknown>,
  ): Promise<unknown> {
    if (!ENTITY.test(entity))
      throw new SfsInvalidInputError('entity', 'must be a lower-case SFS entity name');
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new SfsInvalidInputError('data', 'must be an object');
    }
    const auth = await this.tokens.authFor(ctx);
    try {
      return await this.send(ctx, entity, data, auth);
    } catch (error) {
      if (!(error instanceof SfsAuthError) || error.code !== 'SFS_TOKEN_REJECTED' || !auth.tokenId)
        throw error;
    }
    const replaced = await this.tokens.replaceRejected(ctx, auth.tokenId);
    return this.send(ctx, entity, data, replaced);
  }

  private async send(
    ctx: SfsClientTokenRequest,
    entity: string,
    data: Record<string, unknown>,
    auth: SfsCallAuth,
  ): Promise<unknown> {
    const response = await this.transport.post(
      `/api/${entity}`,
      { data: { ...data, ...auth.data } },
      {
        headers: auth.headers,
        tenantId: ctx.tenantId,
        clientKey: ctx.clientKey,
        // In api-key mode the key itself authenticates: a 401/403 is a credentials error.
        credentials: auth.tokenId === undefined,
        call: 'api',
      },
    );
    return response.body;
  }
}
