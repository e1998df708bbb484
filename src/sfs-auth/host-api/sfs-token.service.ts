import { Injectable } from '@nestjs/common';
import type { SfsTenantOffboardedEvent } from '../events/sfs-auth-events';
import { SfsTenantOffboardingService } from '../offboarding/tenant-offboarding.service';
import { SfsQueuedRevocations } from '../revocation/queued-revocations';
import { SfsCallAuthService, type SfsCallAuth } from './call-auth.service';
import {
  checkRevokeRequest,
  toTokenKey,
  type SfsClientTokenRequest,
  type SfsRevokeRequest,
} from '../model/token-inputs';
import type { SfsActor } from '../model/token-record';
import {
  SfsTokenReencryptionService,
  type SfsReencryptReport,
} from '../crypto/token-reencryption.service';
import { SfsTokenRevocationService } from '../revocation/token-revocation.service';
import { SfsTokenServingService } from '../serving/token-serving.service';

/**
 * A client token handed to a host service.
 *
 * @group Tokens
 * @publicApi
 */
export interface SfsClientToken {
  /** The token's record (admin API, events, `revoke({ tokenId })`); not the token itself. */
  readonly tokenId: string;
  /** The SFS client token: secret, for the `Authorization: Bearer` header only. */
  readonly accessToken: string;
  /** Always `Bearer`. */
  readonly tokenType: 'Bearer';
  /** When SFS stops accepting it (never within the refresh lead of now). */
  readonly expiresAt: Date;
}

export type { SfsCallAuth } from './call-auth.service';

function clientToken(token: {
  tokenId: string;
  accessToken: string;
  expiresAt: number;
}): SfsClientToken {
  return {
    tokenId: token.tokenId,
    accessToken: token.accessToken,
    tokenType: 'Bearer',
    expiresAt: new Date(token.expiresAt),
  };
}

/**
 * What host services call: a valid client token for (tenant, clientKey, subject), revocation, and
 * the auth to put on SFS calls. Every identifier is validated (`SfsInvalidInputError`).
 *
 * @hideconstructor
 * @group Tokens
 * @publicApi
 */
@Injectable()
export class SfsTokenService {
  constructor(
    private readonly serving: SfsTokenServingService,
    private readonly revocation: SfsTokenRevocationService,
    private readonly queuedRevocations: SfsQueuedRevocations,
    private readonly reencryption: SfsTokenReencryptionService,
    private readonly offboarding: SfsTenantOffboardingService,
    private readonly callAuth: SfsCallAuthService,
  ) {}

  /**
   * A token that does not expire within the refresh lead, minted at most once per key however
   * many callers and instances ask at the same moment.
   */
  getClientToken(
    request: SfsClientTokenRequest,
    actor: SfsActor = 'host',
  ): Promise<SfsClientToken> {
    // The hot path: a cached token, without validation work (only valid keys are ever cached).
    const cached = this.serving.peek(request);
    if (cached !== undefined) return Promise.resolve(clientToken(cached));
    return this.getUncached(request, actor);
  }

  private async getUncached(
    request: SfsClientTokenRequest,
    actor: SfsActor,
  ): Promise<SfsClientToken> {
    return clientToken(await this.serving.get(toTokenKey(request), actor));
  }

  /**
   * Revokes every live token matching `request` (one token, a client's, a subject's, or all of a
   * tenant's): they stop being served at once and SFS is told through the outbox. Returns how many.
   */
  async revoke(
    request: SfsRevokeRequest,
    reason: string,
    actor: SfsActor = 'host',
  ): Promise<number> {
    const why = checkRevokeRequest(request, reason);
    const ids = await this.revocation.request(
      {
        tenantId: request.tenantId,
        tokenId: request.tokenId,
        clientKey: request.clientKey,
        subjectId: request.subjectId,
      },
      why,
      actor,
    );
    this.queuedRevocations.queued(ids);
    return ids.length;
  }

  /** Puts `failed` revocations of a tenant (or of one token) back in the queue; returns how many. */
  async retryFailedRevocations(
    tenantId: string,
    tokenId?: string,
    actor: SfsActor = 'host',
    reason?: string,
  ): Promise<number> {
    checkRevokeRequest({ tenantId, tokenId }, 'retry');
    const count = await this.revocation.retryFailed(tenantId, tokenId, actor, reason);
    this.queuedRevocations.retried(count);
    return count;
  }

  /** The auth of an SFS call: a Bearer client token, or the testing-only api-key header + `clientKey`. */
  authFor(request: SfsClientTokenRequest): Promise<SfsCallAuth> {
    return this.callAuth.authFor(request);
  }

  /**
   * Key rotation: rewraps every tenant's data key under the key wrapper's current key (the first
   * key of the ring by default) without touching token rows, and moves rows sealed directly under a
   * ring key (written before per-tenant data keys) to their tenant's data key, in batches.
   * Resumable; run it until `rewrapped + migrated + failed` is 0. Undecryptable rows are marked
   * `failed`.
   */
  reencrypt(batchSize?: number): Promise<SfsReencryptReport> {
    return this.reencryption.run(batchSize);
  }

  /**
   * Offboards a tenant: at once, on every instance, its tokens stop being served and mints for it
   * are refused (`TENANT_OFFBOARDED`); every live token is revoked at SFS through the outbox; once
   * every revocation is confirmed (or given up, and named), its token rows, outbox rows and audit
   * events are purged and its data key destroyed, leaving one tombstone. Runs in the background
   * (the offboarding worker, resumable on any instance); returns where it stands. Idempotent.
   */
  async offboardTenant(
    tenantId: string,
    reason: string,
    actor: SfsActor = 'host',
  ): Promise<SfsTenantOffboardedEvent> {
    const why = checkRevokeRequest({ tenantId }, reason);
    return this.offboarding.start(tenantId, why, actor);
  }

  /** Where the tenant's offboarding stands (the tombstone once done), or `null` if never asked. */
  tenantOffboarding(tenantId: string): Promise<SfsTenantOffboardedEvent | null> {
    checkRevokeRequest({ tenantId }, 'status');
    return this.offboarding.status(tenantId);
  }

  /** After SFS rejected `tokenId` (401): replaces it with a new token, once, and returns the new auth. */
  replaceRejected(request: SfsClientTokenRequest, tokenId: string): Promise<SfsCallAuth> {
    return this.callAuth.replaceRejected(request, tokenId);
  }
}
