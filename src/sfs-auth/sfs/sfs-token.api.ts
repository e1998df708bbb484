import { Inject, Injectable } from '@nestjs/common';
import { SfsApiError, SfsAuthError } from '../errors/sfs-auth.error';
import type { SfsCredentials } from '../options/credentials-resolver';
import { type SfsHttpResponse, SfsHttpTransport } from './sfs-http.transport';
import {
  clientTokenBody,
  parseTokenResponse,
  platformTokenBody,
  revokeClientTokenBody,
  revokePlatformTokenBody,
  SFS_WIRE,
  type SfsIssuedToken,
} from './sfs-wire';

/** Identifiers and control of one token-API call; never secrets. */
export interface SfsTokenCallContext {
  /** Tenant on whose behalf the call is made, for errors and logs. */
  readonly tenantId?: string;
  /** Aborts the call and its retries. */
  readonly signal?: AbortSignal;
  /**
   * Client-token creation only: a token SFS issued in an answer that came after the timeout (the
   * caller got the timeout; nobody holds this token but SFS and this callback).
   */
  readonly onLateToken?: (token: SfsIssuedToken) => void;
}

/**
 * Port: the SFS token endpoint. Every method throws {@link SfsApiError}s: `SFS_CREDENTIALS_REJECTED`
 * (permanent) when the credentials call gets 401/403, `SFS_TOKEN_REJECTED` when the platform token
 * in the header is rejected, `SFS_BAD_RESPONSE` when a 2xx carries no usable token, and the
 * transport's retryable codes once its retries are spent.
 */
export interface SfsTokenApi {
  /** Mints a platform token from platform credentials (no auth header). */
  createPlatformToken(
    credentials: SfsCredentials,
    context?: SfsTokenCallContext,
  ): Promise<SfsIssuedToken>;
  /** Revokes a platform token; one SFS already rejects (401: expired or revoked) counts as done. */
  revokePlatformToken(platformToken: string, context?: SfsTokenCallContext): Promise<void>;
  /** Mints a client token for `clientKey` with a platform token. */
  createClientToken(
    platformToken: string,
    clientKey: string,
    context?: SfsTokenCallContext,
  ): Promise<SfsIssuedToken>;
  /** Revokes a client token with a platform token. */
  revokeClientToken(
    platformToken: string,
    clientToken: string,
    context?: SfsTokenCallContext,
  ): Promise<void>;
}
/** Injection token of the {@link SfsTokenApi} port. */
export const SfsTokenApi = Symbol('SfsTokenApi');

/**
 * {@link SfsTokenApi} over HTTPS, with the wire shapes of `sfs-wire.ts`.
 *
 * @internal
 */
@Injectable()
export class SfsHttpTokenApi implements SfsTokenApi {
  constructor(@Inject(SfsHttpTransport) private readonly transport: SfsHttpTransport) {}

  async createPlatformToken(
    credentials: SfsCredentials,
    context: SfsTokenCallContext = {},
  ): Promise<SfsIssuedToken> {
    const body = platformTokenBody(credentials.apiKey, credentials.secret);
    const response = await this.transport.post(SFS_WIRE.tokenPath, body, {
      ...context,
      credentials: true,
      call: 'platform_token',
    });
    return this.token(response.body, 'platform', context);
  }

  async revokePlatformToken(
    platformToken: string,
    context: SfsTokenCallContext = {},
  ): Promise<void> {
    try {
      await this.transport.post(SFS_WIRE.tokenPath, revokePlatformTokenBody(), {
        ...context,
        bearer: platformToken,
        call: 'platform_revoke',
      });
    } catch (error) {
      // The token in the header is the one revoked: SFS rejecting it means it is already dead.
      if (error instanceof SfsAuthError && error.code === 'SFS_TOKEN_REJECTED') return;
      throw error;
    }
  }

  async createClientToken(
    platformToken: string,
    clientKey: string,
    context: SfsTokenCallContext = {},
  ): Promise<SfsIssuedToken> {
    const { onLateToken, ...rest } = context;
    const response = await this.transport.post(SFS_WIRE.tokenPath, clientTokenBody(clientKey), {
      ...rest,
      clientKey,
      bearer: platformToken,
      call: 'client_token',
      ...(onLateToken && {
        onLateAnswer: (late: SfsHttpResponse) => {
          const token = parseTokenResponse(late.body);
          if (token) onLateToken(token);
        },
      }),
    });
    return this.token(response.body, 'client', { ...context, clientKey });
  }

  async revokeClientToken(
    platformToken: string,
    clientToken: string,
    context: SfsTokenCallContext = {},
  ): Promise<void> {
    await this.transport.post(SFS_WIRE.tokenPath, revokeClientTokenBody(clientToken), {
      ...context,
      bearer: platformToken,
      call: 'client_revoke',
    });
  }

  private token(
    body: unknown,
    kind: 'platform' | 'client',
    context: SfsTokenCallContext & { clientKey?: string },
  ): SfsIssuedToken {
    const token = parseTokenResponse(body);
    if (token) return token;
    throw new SfsApiError(
      'SFS_BAD_RESPONSE',
      `SFS answered the ${kind}-token call with a 2xx but no usable token`,
      false,
      { tenantId: context.tenantId, clientKey: context.clientKey },
    );
  }
}
