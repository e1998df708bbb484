import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SfsClock } from '../clock/clock';
import { SfsTokenCipher } from '../crypto/token-cipher';
import { SfsAuthError } from '../errors/sfs-auth.error';
import {
  SFS_AUTH_EVENTS,
  SfsTokenEventBase,
  SfsTokenIssuedEvent,
  SfsTokenRefreshedEvent,
} from '../events/sfs-auth-events';
import { SfsEventPublisher } from '../events/sfs-event.publisher';
import {
  SfsMetricsRecorder,
  type SfsMetricOperation,
  type SfsMetricOutcome,
} from '../metrics/metrics-recorder';
import type { SfsAuthResolvedOptions } from '../options/sfs-auth-options.interface';
import { SfsTokenStore, type SfsTokenStoreTx } from '../persistence/token.store';
import { SfsPlatformTokenProvider } from '../sfs/platform-token.provider';
import { SfsTokenApi } from '../sfs/sfs-token.api';
import { SFS_AUTH_RESOLVED_OPTIONS } from '../sfs-auth.module-definition';
import { computeRefreshAt, isServable } from './refresh-schedule';
import { SfsUnstoredTokenDiscarder } from './unstored-token.discarder';
import type {
  SfsActor,
  SfsNewTokenEvent,
  SfsNewTokenRecord,
  SfsTokenKey,
  SfsTokenRecord,
} from './token-record';

/** A token ready to serve, decrypted. */
export interface SfsServableToken {
  readonly tokenId: string;
  readonly accessToken: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** What {@link SfsTokenMinter.mintUnderLock} did. */
export type SfsMintOutcome =
  | { kind: 'found'; token: SfsServableToken }
  | { kind: 'minted'; token: SfsServableToken; replaced: string | null }
  | { kind: 'skipped'; reason: string }
  /** A revocation changed the row while we minted: the new token went to the revocation outbox. */
  | { kind: 'lost'; tokenId: string };

/** Decides, under the key lock, what to do with the key's current active row. */
export type SfsMintDecision = (
  current: SfsTokenRecord | null,
  now: number,
) => 'reuse' | 'mint' | 'skip';

/**
 * The one place that mints client tokens: always inside the key's cross-instance lock, after
 * re-reading the active row, so a key is minted once however many callers, workers and instances
 * ask at the same moment. Being the one place, it is also where `mint` (first token of a key) and
 * `refresh` (a replacement, by a worker or on demand) are counted for the metrics recorder.
 */
@Injectable()
export class SfsTokenMinter {
  constructor(
    @Inject(SfsTokenStore) private readonly store: SfsTokenStore,
    @Inject(SfsTokenApi) private readonly api: SfsTokenApi,
    private readonly platform: SfsPlatformTokenProvider,
    private readonly cipher: SfsTokenCipher,
    private readonly publisher: SfsEventPublisher,
    private readonly discarder: SfsUnstoredTokenDiscarder,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS) private readonly options: SfsAuthResolvedOptions,
    @Inject(SfsMetricsRecorder) private readonly metrics: SfsMetricsRecorder,
  ) {}

  get leadMs(): number {
    return this.options.refreshLeadSeconds * 1000;
  }

  /** Decrypts a row into a servable token (throws the cipher's typed errors). */
  open(record: SfsTokenRecord): SfsServableToken {
    if (!record.sealed) throw new Error(`token ${record.id} holds no material`);
    return {
      tokenId: record.id,
      accessToken: this.cipher.open(record.sealed, {
        tenantId: record.tenantId,
        tokenId: record.id,
      }),
      issuedAt: record.issuedAt.getTime(),
      expiresAt: record.expiresAt.getTime(),
    };
  }

  /** Whether a decrypted token may still be served at `now` (not within the lead). */
  fresh(token: SfsServableToken, now: number): boolean {
    return isServable(token, now, this.leadMs);
  }

  /** Whether `record` may be served at `now` (active, with material, not within the lead). */
  servable(record: SfsTokenRecord | null, now: number): record is SfsTokenRecord {
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

  /** Under the key lock: reuse, skip, or mint a token replacing the current one. */
  async mintUnderLock(
    key: SfsTokenKey,
    actor: SfsActor,
    decide: SfsMintDecision,
  ): Promise<SfsMintOutcome> {
    // Set once SFS is about to be asked, so a failure before that (lock, read) counts as nothing.
    let attempted: SfsMetricOperation | undefined;
    // A token SFS issued in this attempt; if it never reaches a committed row it must not stay live.
    const issued: { accessToken?: string } = {};
    let outcome: SfsMintOutcome;
    try {
      outcome = await this.store.withKeyLock(key, async (tx): Promise<SfsMintOutcome> => {
        const current = await tx.findActive(key);
        const decision = decide(current, this.clock.now());
        if (decision === 'skip') return { kind: 'skipped', reason: 'the active token changed' };
        if (decision === 'reuse' && current) return { kind: 'found', token: this.open(current) };
        attempted = current ? 'refresh' : 'mint';
        return this.mintInto(tx, key, actor, current, issued);
      });
    } catch (error) {
      if (attempted) this.metrics.countOperation(attempted, failureOutcome(attempted, error));
      // SFS issued a token that no committed row records: it must not stay live.
      if (issued.accessToken) await this.discarder.discard(key.tenantId, issued.accessToken);
      throw error;
    }
    // 'lost' (a revocation won the race) is neither a success nor a failure of the operation.
    if (outcome.kind === 'minted') {
      this.metrics.countOperation(outcome.replaced ? 'refresh' : 'mint', 'ok');
    }
    this.announce(key, outcome);
    return outcome;
  }

  /** Outbound event, after the transaction committed. */
  private announce(key: SfsTokenKey, outcome: SfsMintOutcome): void {
    if (outcome.kind !== 'minted') return;
    const base = new SfsTokenEventBase(
      key.tenantId,
      outcome.token.tokenId,
      key.clientKey,
      key.subjectId,
    );
    const expiresAt = new Date(outcome.token.expiresAt);
    if (outcome.replaced) {
      this.publisher.publish(
        SFS_AUTH_EVENTS.tokenRefreshed,
        new SfsTokenRefreshedEvent(base, outcome.replaced, expiresAt),
      );
    } else {
      this.publisher.publish(SFS_AUTH_EVENTS.tokenIssued, new SfsTokenIssuedEvent(base, expiresAt));
    }
  }

  private async mintInto(
    tx: SfsTokenStoreTx,
    key: SfsTokenKey,
    actor: SfsActor,
    current: SfsTokenRecord | null,
    minted: { accessToken?: string },
  ): Promise<SfsMintOutcome> {
    const issued = await this.platform.withPlatformToken(key.tenantId, (platformToken) =>
      this.api.createClientToken(platformToken, key.clientKey, { tenantId: key.tenantId }),
    );
    minted.accessToken = issued.accessToken;
    const id = randomUUID();
    const issuedAt = this.clock.now();
    const expiresAt = issuedAt + Math.round(issued.expiresInSeconds * 1000);
    const record: SfsNewTokenRecord = {
      tenantId: key.tenantId,
      clientKey: key.clientKey,
      subjectId: key.subjectId,
      id,
      status: 'active',
      sealed: this.cipher.seal(issued.accessToken, { tenantId: key.tenantId, tokenId: id }),
      fingerprint: this.cipher.fingerprint(issued.accessToken),
      issuedAt: new Date(issuedAt),
      expiresAt: new Date(expiresAt),
      refreshAt: new Date(
        computeRefreshAt({ issuedAt, expiresAt, leadMs: this.leadMs, random: Math.random() }),
      ),
      sessionStartedAt: current?.sessionStartedAt ?? new Date(issuedAt),
    };
    const at = new Date(issuedAt);
    const expiry = record.expiresAt.toISOString();
    const event: Pick<SfsNewTokenEvent, 'type' | 'detail'> = current
      ? { type: 'refreshed', detail: { previousTokenId: current.id, expiresAt: expiry } }
      : { type: 'issued', detail: { expiresAt: expiry } };
    const stored = await tx.insertToken(
      record,
      [{ tenantId: key.tenantId, tokenId: id, actor, at, type: event.type, detail: event.detail }],
      current ? { id: current.id } : undefined,
    );
    if (!stored) {
      await tx.insertToken(
        { ...record, status: 'revoking', revokeReason: 'revoked while being refreshed' },
        [
          {
            tenantId: key.tenantId,
            tokenId: id,
            actor,
            at,
            type: 'revoke_requested',
            reason: 'revoked while being refreshed',
          },
        ],
      );
      return { kind: 'lost', tokenId: id };
    }
    const token = { tokenId: id, accessToken: issued.accessToken, issuedAt, expiresAt };
    return { kind: 'minted', token, replaced: current?.id ?? null };
  }
}

/**
 * A first mint is not retried by the module (the caller gets the error): `failed`. A refresh is
 * retried by the worker unless the error is permanent, the same rule the refresh service applies.
 */
function failureOutcome(operation: SfsMetricOperation, error: unknown): SfsMetricOutcome {
  if (operation === 'mint') return 'failed';
  return error instanceof SfsAuthError && !error.retryable ? 'failed' : 'retry';
}
