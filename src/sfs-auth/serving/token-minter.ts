import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SfsClock } from '../clock/clock';
import { SfsTenantTokenCipher } from '../crypto/tenant-token.cipher';
import { SfsAuthError } from '../errors/sfs-auth.error';
import {
  SFS_AUTH_EVENTS,
  SfsTokenEventBase,
  SfsTokenIssuedEvent,
  SfsTokenRefreshedEvent,
} from '../events/sfs-auth-events';
import { SfsEventPublisher } from '../events/sfs-event.publisher';
import { SfsTenantGate } from './tenant-gate';
import {
  SfsMetricsRecorder,
  type SfsMetricOperation,
  type SfsMetricOutcome,
} from '../options/metrics-recorder';
import {
  type SfsAuthResolvedOptions,
  SFS_AUTH_RESOLVED_OPTIONS,
} from '../options/sfs-auth-options.interface';
import {
  SfsKeyLeaseStore,
  type SfsKeyClaim,
  type SfsKeyLease,
  type SfsMintRecord,
} from './key-lease.store';
import { SFS_INSTANCE_ID } from '../scheduling/instance-id';
import { SfsPlatformTokenProvider } from '../sfs/platform-token.provider';
import { SfsTokenApi } from '../sfs/sfs-token.api';
import {
  sfsKeyAttributes,
  sfsTracer,
  type SfsOperationSpan,
  type SfsSpanResult,
} from '../tracing/sfs-tracer';
import { computeRefreshAt, isServable } from '../model/refresh-schedule';
import { SfsUnstoredTokenDiscarder } from './unstored-token.discarder';
import type {
  SfsActor,
  SfsNewTokenEvent,
  SfsNewTokenRecord,
  SfsTokenKey,
  SfsTokenRecord,
} from '../model/token-record';

/** A token ready to serve, decrypted. */
export interface SfsServableToken {
  readonly tokenId: string;
  readonly accessToken: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** What {@link SfsTokenMinter.mintUnderLease} did. */
export type SfsMintOutcome =
  | { kind: 'found'; token: SfsServableToken }
  | { kind: 'minted'; token: SfsServableToken; replaced: string | null }
  | { kind: 'skipped'; reason: string }
  /** A revocation changed the row while we minted: the new token went to the revocation outbox. */
  | { kind: 'lost'; tokenId: string };

/** Decides, holding the key's lease, what to do with the key's current active row. */
export type SfsMintDecision = (
  current: SfsTokenRecord | null,
  now: number,
) => 'reuse' | 'mint' | 'skip' | Promise<'reuse' | 'mint' | 'skip'>;

/** First and longest pause between two looks at a key another claimant is minting. */
const WAIT_FIRST_MS = 25;
const WAIT_MAX_MS = 500;

/**
 * The one place that mints client tokens, so a key is minted once however many callers, workers
 * and instances ask at the same moment. No database connection is held while SFS answers:
 * 1. a short transaction claims the key's lease (owner, expiry, fence) and re-reads the active row;
 * 2. SFS is called with no transaction open and no connection checked out;
 * 3. a short transaction records the token only if the fence still holds, and releases the lease.
 * A caller that finds the key claimed by someone else polls (with backoff) until the holder's
 * result is there or its lease has run out, and then takes the key over. A token that loses (fence
 * taken over, or the replaced row revoked meanwhile) is stored `revoking` and revoked through the
 * outbox; one that cannot be recorded at all is revoked at once by the unstored-token discarder.
 * Being the one place, it is also where `mint` (first token of a key) and `refresh` (a
 * replacement, by a worker or on demand) are counted for the metrics recorder, and traced: span
 * `sfs-auth.mint` (renamed `sfs-auth.refresh` for a replacement), or the refresh span it runs in,
 * with the time spent waiting on another claimant's lease.
 */
@Injectable()
export class SfsTokenMinter {
  constructor(
    @Inject(SfsKeyLeaseStore) private readonly leases: SfsKeyLeaseStore,
    @Inject(SfsTokenApi) private readonly api: SfsTokenApi,
    private readonly platform: SfsPlatformTokenProvider,
    private readonly cipher: SfsTenantTokenCipher,
    private readonly publisher: SfsEventPublisher,
    private readonly discarder: SfsUnstoredTokenDiscarder,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS) private readonly options: SfsAuthResolvedOptions,
    @Inject(SfsMetricsRecorder) private readonly metrics: SfsMetricsRecorder,
    @Inject(SFS_INSTANCE_ID) private readonly owner: string,
    private readonly gate: SfsTenantGate,
  ) {}

  private readonly tracer = sfsTracer();

  get leadMs(): number {
    return this.options.refreshLeadSeconds * 1000;
  }

  /** Decrypts a row into a servable token (throws the cipher's typed errors). */
  async open(record: SfsTokenRecord): Promise<SfsServableToken> {
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

  /**
   * The key's token, for a caller that needs one now (serving, the admin API's mint): the active
   * row when `reuse` accepts it, else a new token. A new token that loses to a revocation (a
   * logout raced with the mint; that token is being revoked) is minted once more; losing twice in
   * a row is a retryable `TOKEN_CONFLICT`.
   */
  async ensure(
    key: SfsTokenKey,
    actor: SfsActor,
    reuse: (current: SfsTokenRecord, now: number) => boolean | Promise<boolean>,
  ): Promise<{ token: SfsServableToken; minted: boolean }> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcome = await this.mintUnderLease(key, actor, async (current, now) =>
        current && (await reuse(current, now)) ? 'reuse' : 'mint',
      );
      if (outcome.kind === 'found' || outcome.kind === 'minted') {
        return { token: outcome.token, minted: outcome.kind === 'minted' };
      }
    }
    throw new SfsAuthError(
      'TOKEN_CONFLICT',
      `tenant ${key.tenantId}: the key's new token kept being revoked`,
      true,
      { tenantId: key.tenantId, clientKey: key.clientKey },
    );
  }

  /**
   * Replaces `row` with a new token while it is still the key's active row: a refresh, by a worker
   * or on demand (`skipped` when another token took its place meanwhile). `claimed`: see
   * {@link mintUnderLease}.
   */
  replace(row: SfsTokenRecord, actor: SfsActor, claimed?: SfsKeyClaim): Promise<SfsMintOutcome> {
    return this.mintUnderLease(
      row,
      actor,
      (current) => (current?.id === row.id ? 'mint' : 'skip'),
      claimed,
    );
  }

  /**
   * Holding the key's lease: reuse, skip, or mint a token replacing the current one. `claimed` is
   * a claim the caller already made for this key (the refresh worker claims its next rows' keys in
   * one statement); it stands for the first claim, and the key is claimed again if it brought no
   * lease.
   */
  private mintUnderLease(
    key: SfsTokenKey,
    actor: SfsActor,
    decide: SfsMintDecision,
    claimed?: SfsKeyClaim,
  ): Promise<SfsMintOutcome> {
    return this.tracer.operation(
      'mint',
      sfsKeyAttributes(key),
      (span) => this.mintCounted(key, actor, decide, span, claimed),
      { join: true, describe: mintSpanResult },
    );
  }

  private async mintCounted(
    key: SfsTokenKey,
    actor: SfsActor,
    decide: SfsMintDecision,
    span: SfsOperationSpan,
    claimed: SfsKeyClaim | undefined,
  ): Promise<SfsMintOutcome> {
    // Set once SFS is about to be asked, so a failure before that (claim, read) counts as nothing.
    const attempt: { operation?: SfsMetricOperation; accessToken?: string } = {};
    let outcome: SfsMintOutcome;
    try {
      outcome = await this.claimAndMint(key, actor, decide, attempt, span, claimed);
    } catch (error) {
      if (attempt.operation) {
        this.metrics.countOperation(attempt.operation, failureOutcome(attempt.operation, error));
      }
      // SFS issued a token that no committed row records: it must not stay live.
      if (attempt.accessToken) await this.discarder.discard(key.tenantId, attempt.accessToken);
      throw error;
    }
    // 'lost' (a revocation or a takeover won the race) is neither a success nor a failure.
    if (outcome.kind === 'minted') {
      this.metrics.countOperation(outcome.replaced ? 'refresh' : 'mint', 'ok');
    }
    this.announce(key, outcome);
    return outcome;
  }

  private async claimAndMint(
    key: SfsTokenKey,
    actor: SfsActor,
    decide: SfsMintDecision,
    attempt: { operation?: SfsMetricOperation; accessToken?: string },
    span: SfsOperationSpan,
    claimed: SfsKeyClaim | undefined,
  ): Promise<SfsMintOutcome> {
    const leaseMs = this.options.workers.leaseMs;
    // Bounded: a holder records or its lease runs out within leaseMs; twice that is a fault.
    const giveUpAt = performance.now() + 2 * leaseMs;
    for (let round = 0; ; round++) {
      const now = this.clock.now();
      const claim =
        round === 0 && claimed
          ? claimed
          : await this.leases.claimKey(key, this.owner, new Date(now), leaseMs);
      const decision = await decide(claim.current, now);
      if (claim.lease && decision !== 'mint') await this.leases.releaseKey(claim.lease);
      if (decision === 'skip') return { kind: 'skipped', reason: 'the active token changed' };
      if (decision === 'reuse' && claim.current) {
        return { kind: 'found', token: await this.open(claim.current) };
      }
      if (claim.lease) {
        // A key with no active token (the state an offboarding leaves every key in) is not minted
        // for an offboarded tenant, whoever asks; a refresh has an active token and skips the read.
        if (!claim.current) await this.refuseOffboarded(claim.lease);
        attempt.operation = claim.current ? 'refresh' : 'mint';
        span.rename(attempt.operation);
        return this.mintWith(claim.lease, key, actor, claim.current, attempt);
      }
      // Another claimant is minting this key: its result (or its lease running out) comes next.
      if (performance.now() >= giveUpAt) {
        throw new SfsAuthError(
          'SFS_UNAVAILABLE',
          `tenant ${key.tenantId}: the key stayed claimed by another mint`,
          true,
          { tenantId: key.tenantId, clientKey: key.clientKey },
        );
      }
      const backoff = Math.min(WAIT_MAX_MS, WAIT_FIRST_MS * 2 ** Math.min(round, 5));
      const waitFrom = performance.now();
      await pause(backoff / 2 + Math.random() * (backoff / 2));
      span.addWait('lease', performance.now() - waitFrom);
    }
  }

  private async refuseOffboarded(lease: SfsKeyLease): Promise<void> {
    try {
      await this.gate.assertServing(lease.key.tenantId);
    } catch (error) {
      await this.leases.releaseKey(lease).catch(() => undefined);
      throw error;
    }
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

  private async mintWith(
    lease: SfsKeyLease,
    key: SfsTokenKey,
    actor: SfsActor,
    current: SfsTokenRecord | null,
    attempt: { accessToken?: string },
  ): Promise<SfsMintOutcome> {
    let issued: { accessToken: string; expiresInSeconds: number };
    try {
      // No transaction is open and no connection is checked out while SFS answers.
      issued = await this.platform.withPlatformToken(key.tenantId, (platformToken) =>
        this.api.createClientToken(platformToken, key.clientKey, { tenantId: key.tenantId }),
      );
    } catch (error) {
      await this.leases.releaseKey(lease).catch(() => undefined);
      throw error;
    }
    attempt.accessToken = issued.accessToken;
    const mint = await this.newRecord(key, actor, current, issued);
    const lostReason = 'revoked while being refreshed';
    const lost: SfsMintRecord = {
      record: { ...mint.record, status: 'revoking', revokeReason: lostReason },
      events: [
        {
          tenantId: key.tenantId,
          tokenId: mint.record.id,
          actor,
          at: mint.record.issuedAt,
          type: 'revoke_requested',
          reason: lostReason,
        },
      ],
    };
    let stored: 'stored' | 'lost';
    try {
      stored = await this.leases.recordMint(lease, mint, lost);
    } catch (error) {
      // The database may be back soon: give the key back rather than make others wait out the lease.
      void this.leases.releaseKey(lease).catch(() => undefined);
      throw error;
    }
    if (stored === 'lost') return { kind: 'lost', tokenId: mint.record.id };
    const token = {
      tokenId: mint.record.id,
      accessToken: issued.accessToken,
      issuedAt: mint.record.issuedAt.getTime(),
      expiresAt: mint.record.expiresAt.getTime(),
    };
    return { kind: 'minted', token, replaced: current?.id ?? null };
  }

  private async newRecord(
    key: SfsTokenKey,
    actor: SfsActor,
    current: SfsTokenRecord | null,
    issued: { accessToken: string; expiresInSeconds: number },
  ): Promise<SfsMintRecord> {
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
    const events = [{ tenantId: key.tenantId, tokenId: id, actor, at: record.issuedAt, ...event }];
    return { record, events, retire: current ? { id: current.id } : undefined };
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A first mint is not retried by the module (the caller gets the error): `failed`. A refresh is
 * retried by the worker unless the error is permanent, the same rule the refresh service applies.
 */
function failureOutcome(operation: SfsMetricOperation, error: unknown): SfsMetricOutcome {
  if (operation === 'mint') return 'failed';
  return error instanceof SfsAuthError && !error.retryable ? 'failed' : 'retry';
}

/**
 * The mint span's result, identifiers only (the outcome also holds the token itself):
 * `sfs_auth.token_id` is the token found or replaced, `sfs_auth.new_token_id` the one minted.
 */
function mintSpanResult(outcome: SfsMintOutcome): SfsSpanResult {
  switch (outcome.kind) {
    case 'found':
      return { outcome: 'found', attributes: { 'sfs_auth.token_id': outcome.token.tokenId } };
    case 'minted':
      return {
        outcome: 'minted',
        attributes: {
          'sfs_auth.token_id': outcome.replaced ?? undefined,
          'sfs_auth.new_token_id': outcome.token.tokenId,
        },
      };
    case 'lost':
      return { outcome: 'lost', attributes: { 'sfs_auth.new_token_id': outcome.tokenId } };
    case 'skipped':
      return { outcome: 'skipped' };
  }
}
