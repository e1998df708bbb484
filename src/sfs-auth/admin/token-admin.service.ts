import { Inject, Injectable } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { SfsTokenNotActiveError, SfsTokenNotFoundError } from '../errors/sfs-auth.error';
import { SfsTokenReadModel } from './token-read.model';
import type { SfsTokenPageAfter } from './token-read.types';
import { SfsTokenService } from '../host-api/sfs-token.service';
import { SfsTokenMinter } from '../serving/token-minter';
import type { SfsActor, SfsTokenEvent, SfsTokenKey, SfsTokenRecord } from '../model/token-record';
import { SfsAdminCursorCodec, type SfsCursorScope } from './admin-cursor.codec';
import { SfsAdminEventIds } from './admin-event-ids';
import {
  sfsRevocationResponse,
  sfsTenantOffboardingResponse,
  sfsTenantSummaryResponse,
  sfsTokenEventResponse,
  sfsTokenRecordResponse,
} from './admin-responses';
import { SFS_ADMIN_REASONS } from './dto/admin-requests.dto';
import type {
  SfsBulkRevokeBodyDto,
  SfsListRevocationsQueryDto,
  SfsListTokensQueryDto,
  SfsRetryRevocationsBodyDto,
  SfsMintTokenBodyDto,
  SfsPageQueryDto,
} from './dto/admin-requests.dto';
import type {
  SfsRevocationListDto,
  SfsRevokedCountDto,
  SfsTenantOffboardingDto,
  SfsTenantSummaryDto,
  SfsTokenDetailDto,
  SfsTokenEventDto,
  SfsTokenEventListDto,
  SfsTokenListDto,
  SfsTokenRecordDto,
} from './dto/admin-responses.dto';

const DEFAULT_LIMIT = 20;
const DETAIL_EVENTS = 20;
const REVOCATIONS_LIMIT = 50;

/**
 * The rules behind the tenant admin API. Every method is scoped to one tenant (the route's, which
 * the guard authorized), so a record of another tenant is simply not found.
 *
 * @internal
 */
@Injectable()
export class SfsTokenAdminService {
  constructor(
    private readonly reads: SfsTokenReadModel,
    private readonly tokens: SfsTokenService,
    private readonly minter: SfsTokenMinter,
    private readonly cursors: SfsAdminCursorCodec,
    private readonly eventIds: SfsAdminEventIds,
    @Inject(SfsClock) private readonly clock: SfsClock,
  ) {}

  async list(tenantId: string, query: SfsListTokensQueryDto): Promise<SfsTokenListDto> {
    const { status, clientKey, subjectId } = query;
    const scope: SfsCursorScope = {
      list: 'tokens',
      tenantId,
      filter: JSON.stringify([status ?? null, clientKey ?? null, subjectId ?? null]),
    };
    const after = query.cursor
      ? this.cursors.decode<SfsTokenPageAfter>(scope, query.cursor)
      : undefined;
    const page = await this.reads.listTokens({
      tenantId,
      status,
      clientKey,
      subjectId,
      limit: query.limit ?? DEFAULT_LIMIT,
      after,
    });
    return {
      items: page.items.map(sfsTokenRecordResponse),
      nextCursor: page.next ? this.cursors.encode(scope, page.next) : null,
    };
  }

  async get(tenantId: string, tokenId: string): Promise<SfsTokenDetailDto> {
    const record = await this.find(tenantId, tokenId);
    const events = await this.reads.listEvents({ tenantId, tokenId, limit: DETAIL_EVENTS });
    return { ...sfsTokenRecordResponse(record), events: events.map((e) => this.eventView(e)) };
  }

  /** The key's active token, minted when there is none (`created` tells which). */
  async mint(
    tenantId: string,
    body: SfsMintTokenBodyDto,
    actor: SfsActor,
  ): Promise<{ created: boolean; record: SfsTokenRecordDto }> {
    const key: SfsTokenKey = {
      tenantId,
      clientKey: body.clientKey,
      subjectId: body.subjectId ?? null,
    };
    const { token, minted } = await this.minter.ensureServable(key, actor, body.reason);
    const record = await this.find(tenantId, token.tokenId);
    return { created: minted, record: sfsTokenRecordResponse(record) };
  }

  /** Replaces an active token now (the old one stays valid at SFS until it expires). */
  async refresh(
    tenantId: string,
    tokenId: string,
    actor: SfsActor,
    reason?: string,
  ): Promise<SfsTokenRecordDto> {
    const record = await this.find(tenantId, tokenId);
    if (record.status !== 'active')
      throw new SfsTokenNotActiveError(tenantId, tokenId, record.status);
    const outcome = await this.minter.replace(record, actor, { reason });
    if (outcome.kind !== 'minted') {
      const now = await this.find(tenantId, tokenId);
      throw new SfsTokenNotActiveError(tenantId, tokenId, now.status);
    }
    return sfsTokenRecordResponse(await this.find(tenantId, outcome.token.tokenId));
  }

  /** Revokes one token (idempotent: a dead token is returned as it is). */
  async revoke(
    tenantId: string,
    tokenId: string,
    actor: SfsActor,
    reason: string = SFS_ADMIN_REASONS.revoke,
  ): Promise<SfsTokenRecordDto> {
    await this.find(tenantId, tokenId);
    await this.tokens.revoke({ tenantId, tokenId }, reason, actor);
    return sfsTokenRecordResponse(await this.find(tenantId, tokenId));
  }

  async revokeMany(
    tenantId: string,
    body: SfsBulkRevokeBodyDto,
    actor: SfsActor,
  ): Promise<SfsRevokedCountDto> {
    if (body.dryRun) {
      const filter = { tenantId, clientKey: body.clientKey, subjectId: body.subjectId };
      const matching = await this.reads.countRevocable(filter, new Date(this.clock.now()));
      return { revoked: 0, matching, dryRun: true };
    }
    const revoked = await this.tokens.revoke(
      { tenantId, clientKey: body.clientKey, subjectId: body.subjectId },
      body.reason ?? SFS_ADMIN_REASONS.bulkRevoke,
      actor,
    );
    return { revoked };
  }

  /** The tenant's revocation outbox: what SFS has not confirmed, or gave up on. */
  async revocations(
    tenantId: string,
    query: SfsListRevocationsQueryDto,
  ): Promise<SfsRevocationListDto> {
    const entries = await this.reads.listRevocations({
      tenantId,
      status: query.status,
      limit: query.limit ?? REVOCATIONS_LIMIT,
    });
    return { items: entries.map(sfsRevocationResponse) };
  }

  /** Queues failed revocations again (one token's, or all of the tenant's). */
  async retryRevocations(
    tenantId: string,
    body: SfsRetryRevocationsBodyDto,
    actor: SfsActor,
  ): Promise<{ retried: number }> {
    const { tokenId, reason } = body;
    return { retried: await this.tokens.retryFailedRevocations(tenantId, tokenId, actor, reason) };
  }

  async summary(tenantId: string): Promise<SfsTenantSummaryDto> {
    const summary = await this.reads.tenantSummary(tenantId, new Date(this.clock.now()));
    const offboarding = await this.tokens.tenantOffboarding(tenantId);
    return sfsTenantSummaryResponse(tenantId, summary, offboarding);
  }

  /** Starts the tenant's offboarding (idempotent); returns where it stands. */
  async offboard(
    tenantId: string,
    reason: string,
    actor: SfsActor,
  ): Promise<SfsTenantOffboardingDto> {
    return sfsTenantOffboardingResponse(await this.tokens.offboardTenant(tenantId, reason, actor));
  }

  async events(tenantId: string, query: SfsPageQueryDto): Promise<SfsTokenEventListDto> {
    const scope: SfsCursorScope = { list: 'events', tenantId, filter: '' };
    const afterId = query.cursor
      ? this.eventIds.openPosition(tenantId, this.cursors.decode<unknown>(scope, query.cursor))
      : undefined;
    const limit = query.limit ?? DEFAULT_LIMIT;
    const events = await this.reads.listEvents({ tenantId, limit: limit + 1, afterId });
    const items = events.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((e) => this.eventView(e)),
      nextCursor:
        events.length > limit && last
          ? this.cursors.encode(scope, this.eventIds.sealPosition(tenantId, last.id))
          : null,
    };
  }

  private eventView(event: SfsTokenEvent): SfsTokenEventDto {
    return sfsTokenEventResponse(event, this.eventIds.publicId(event.tenantId, event.id));
  }

  private async find(tenantId: string, tokenId: string): Promise<SfsTokenRecord> {
    const record = await this.reads.findToken(tenantId, tokenId);
    if (!record) throw new SfsTokenNotFoundError(tenantId, tokenId);
    return record;
  }
}
