import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SfsClock } from '../clock/clock';
import { SfsTenantTokenCipher } from '../crypto/tenant-token.cipher';
import { computeRefreshAt, isServable } from '../model/refresh-schedule';
import type {
  SfsActor,
  SfsNewTokenEvent,
  SfsNewTokenRecord,
  SfsTokenKey,
  SfsServableRecord,
  SfsTokenRecord,
} from '../model/token-record';
import { SFS_AUTH_RESOLVED_OPTIONS, type SfsAuthResolvedOptions } from '../options/option-table';
import type { SfsMintRecord } from './key-lease.store';
import type { SfsServableToken } from './mint-outcome';

/**
 * Between a token row and the token it holds: opens a row into a servable token, says whether a
 * row or a token may still be served (not within the refresh lead), and seals a token SFS issued
 * into the rows that record it.
 *
 * @internal
 */
@Injectable()
export class SfsTokenMaterial {
  constructor(
    private readonly cipher: SfsTenantTokenCipher,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'refreshLeadSeconds'>,
  ) {}

  get leadMs(): number {
    return this.options.refreshLeadSeconds * 1000;
  }

  /** Decrypts a row into a servable token (throws the cipher's typed errors). */
  async open(record: SfsServableRecord): Promise<SfsServableToken> {
    if (!record.sealed) throw new Error(`token ${record.id} holds no material`);
    return {
      tokenId: record.id,
      accessToken: await this.cipher.open(record.sealed, {
        tenantId: record.tenantId,
        tokenId: record.id,
      }),
      issuedAt: record.issuedAt.getTime(),
      expiresAt: record.expiresAt.getTime(),
    };
  }

  /** Whether `record` may be served at `now` (active, with material, not within the lead). */
  servable<R extends SfsServableRecord>(record: R | null, now: number): record is R {
    return (
      record !== null &&
      record.status === 'active' &&
      record.sealed !== null &&
      isServable(
        { issuedAt: record.issuedAt.getTime(), expiresAt: record.expiresAt.getTime() },
        now,
        this.leadMs,
      )
    );
  }

  /**
   * Seals a token SFS issued for `key` (replacing `current`, if any) into the two rows that may
   * record it: `active`, with its `issued` or `refreshed` event, stored while the mint's lease
   * holds; `revoking`, stored instead when the mint lost (and so revoked through the outbox).
   */
  async seal(
    key: SfsTokenKey,
    { actor, reason }: { actor: SfsActor; reason?: string },
    current: SfsTokenRecord | null,
    issued: { accessToken: string; expiresInSeconds: number },
  ): Promise<{ active: SfsMintRecord; revoking: SfsMintRecord }> {
    const id = randomUUID();
    const issuedAt = this.clock.now();
    const expiresAt = issuedAt + Math.round(issued.expiresInSeconds * 1000);
    const record: SfsNewTokenRecord = {
      tenantId: key.tenantId,
      clientKey: key.clientKey,
      subjectId: key.subjectId,
      id,
      status: 'active',
      sealed: await this.cipher.seal(issued.accessToken, { tenantId: key.tenantId, tokenId: id }),
      fingerprint: this.cipher.fingerprint(issued.accessToken),
      issuedAt: new Date(issuedAt),
      expiresAt: new Date(expiresAt),
      refreshAt: new Date(
        computeRefreshAt({ issuedAt, expiresAt, leadMs: this.leadMs, random: Math.random() }),
      ),
      sessionStartedAt: current?.sessionStartedAt ?? new Date(issuedAt),
    };
    const expiry = record.expiresAt.toISOString();
    const event: Pick<SfsNewTokenEvent, 'type' | 'detail'> = current
      ? { type: 'refreshed', detail: { previousTokenId: current.id, expiresAt: expiry } }
      : { type: 'issued', detail: { expiresAt: expiry } };
    const events = [
      {
        tenantId: key.tenantId,
        tokenId: id,
        actor,
        at: record.issuedAt,
        ...event,
        ...(reason ? { reason } : {}),
      },
    ];
    const active = { record, events, retire: current ? { id: current.id } : undefined };
    const lostReason = 'revoked while being refreshed';
    const revoking: SfsMintRecord = {
      record: { ...record, status: 'revoking', revokeReason: lostReason },
      events: [
        {
          tenantId: key.tenantId,
          tokenId: record.id,
          actor,
          at: record.issuedAt,
          type: 'revoke_requested',
          reason: lostReason,
        },
      ],
    };
    return { active, revoking };
  }
}
