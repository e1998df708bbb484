import { Inject, Injectable } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { SfsAuthError } from '../errors/sfs-auth.error';
import {
  SFS_AUTH_EVENTS,
  SfsTokenEventBase,
  SfsTokenIssuedEvent,
  SfsTokenRefreshedEvent,
} from '../events/sfs-auth-events';
import { SfsEventPublisher } from '../events/sfs-event.publisher';
import { SfsTenantGate } from './tenant-gate';
import { SfsMetricsRecorder, type SfsMetricOperation } from '../options/metrics-recorder';
import {
  type SfsAuthResolvedOptions,
  SFS_AUTH_RESOLVED_OPTIONS,
} from '../options/sfs-auth-options.interface';
import { SfsKeyLeaseStore, type SfsKeyClaim, type SfsKeyLease } from './key-lease.store';
import { SFS_INSTANCE_ID } from '../scheduling/instance-id';
import { SfsPlatformTokenProvider } from '../sfs/platform-token.provider';
import { SfsTokenApi } from '../sfs/sfs-token.api';
import { sfsKeyAttributes, sfsTracer, type SfsOperationSpan } from '../tracing/sfs-tracer';
import { SfsLateTokenRecorder } from './late-token.recorder';
import { SfsUnstoredTokenDiscarder } from './unstored-token.discarder';
import {
  sfsMintFailureOutcome,
  sfsMintSpanResult,
  type SfsMintDecision,
  type SfsMintOutcome,
  type SfsServableToken,
} from './mint-outcome';
import { SfsTokenMaterial } from './token-material';
import type { SfsActor, SfsTokenKey, SfsTokenRecord } from '../model/token-record';
import type { SfsSemaphore } from '../common/semaphore';
import { afterQueuedRequests } from '../common/event-loop';

/** What a refresh pass hands {@link SfsTokenMinter.replace} along with a row. */
export interface SfsReplaceOptions {
  /**
   * A claim of the row's key made ahead (the pass claims its next rows' keys in one statement). It
   * stands for the first claim; the key is claimed again if it brought no lease.
   */
  readonly claimed?: SfsKeyClaim;
  /**
   * The pass's SFS slots (`workers.concurrency`): the SFS call runs inside one, the claim and the
   * recording outside, so a row's recording overlaps the next row's SFS call.
   */
  readonly sfsSlots?: SfsSemaphore;
  /** Why (an admin's reason), written with the `issued` or `refreshed` audit event. */
  readonly reason?: string;
}

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
    private readonly leases: SfsKeyLeaseStore,
    @Inject(SfsTokenApi) private readonly api: SfsTokenApi,
    private readonly platform: SfsPlatformTokenProvider,
    private readonly material: SfsTokenMaterial,
    private readonly publisher: SfsEventPublisher,
    private readonly discarder: SfsUnstoredTokenDiscarder,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS) private readonly options: SfsAuthResolvedOptions,
    @Inject(SfsMetricsRecorder) private readonly metrics: SfsMetricsRecorder,
    @Inject(SFS_INSTANCE_ID) private readonly owner: string,
    private readonly gate: SfsTenantGate,
    private readonly late: SfsLateTokenRecorder,
  ) {}

  private readonly tracer = sfsTracer();

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
    reason?: string,
  ): Promise<{ token: SfsServableToken; minted: boolean }> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcome = await this.mintUnderLease(
        key,
        actor,
        async (current, now) => (current && (await reuse(current, now)) ? 'reuse' : 'mint'),
        { reason },
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
   * or on demand (`skipped` when another token took its place meanwhile).
   */
  replace(
    row: SfsTokenRecord,
    actor: SfsActor,
    pass: SfsReplaceOptions = {},
  ): Promise<SfsMintOutcome> {
    return this.mintUnderLease(
      row,
      actor,
      (current) => (current?.id === row.id ? 'mint' : 'skip'),
      pass,
    );
  }

  /** Holding the key's lease: reuse, skip, or mint a token replacing the current one. */
  private mintUnderLease(
    key: SfsTokenKey,
    actor: SfsActor,
    decide: SfsMintDecision,
    pass: SfsReplaceOptions = {},
  ): Promise<SfsMintOutcome> {
    return this.tracer.operation(
      'mint',
      sfsKeyAttributes(key),
      (span) => this.mintCounted(key, actor, decide, span, pass),
      { join: true, describe: sfsMintSpanResult },
    );
  }

  private async mintCounted(
    key: SfsTokenKey,
    actor: SfsActor,
    decide: SfsMintDecision,
    span: SfsOperationSpan,
    pass: SfsReplaceOptions,
  ): Promise<SfsMintOutcome> {
    // Set once SFS is about to be asked, so a failure before that (claim, read) counts as nothing.
    const attempt: { operation?: SfsMetricOperation; accessToken?: string } = {};
    let outcome: SfsMintOutcome;
    try {
      outcome = await this.claimAndMint(key, actor, decide, attempt, span, pass);
    } catch (error) {
      if (attempt.operation) {
        this.metrics.countOperation(
          attempt.operation,
          sfsMintFailureOutcome(attempt.operation, error),
        );
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
    { claimed, sfsSlots, reason }: SfsReplaceOptions,
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
        return { kind: 'found', token: await this.material.open(claim.current) };
      }
      if (claim.lease) {
        // A key with no active token (the state an offboarding leaves every key in) is not minted
        // for an offboarded tenant, whoever asks; a refresh has an active token and skips the read.
        if (!claim.current) await this.refuseOffboarded(claim.lease);
        attempt.operation = claim.current ? 'refresh' : 'mint';
        span.rename(attempt.operation);
        return this.mintWith(claim.lease, key, { actor, reason }, claim.current, attempt, sfsSlots);
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
    by: { actor: SfsActor; reason?: string },
    current: SfsTokenRecord | null,
    attempt: { accessToken?: string },
    sfsSlots: SfsSemaphore | undefined,
  ): Promise<SfsMintOutcome> {
    let issued: { accessToken: string; expiresInSeconds: number };
    try {
      // No transaction is open and no connection is checked out while SFS answers.
      const call = () =>
        this.platform.withPlatformToken(key.tenantId, (platformToken) =>
          this.api.createClientToken(platformToken, key.clientKey, {
            tenantId: key.tenantId,
            // This attempt timed out, yet SFS issued the token: it is recorded and revoked.
            onLateToken: (late) => void this.late.record(key, by.actor, late),
          }),
        );
      issued = await (sfsSlots ? sfsSlots.run(call) : call());
    } catch (error) {
      await this.leases.releaseKey(lease).catch(() => undefined);
      throw error;
    }
    attempt.accessToken = issued.accessToken;
    // The SFS slot this call held (the pass's or the bulkhead's) may already be another mint's:
    // its request goes out first. Sealing and the recording statement (whose write holds the
    // event loop) would otherwise run before undici writes it, which it does only after this
    // turn's I/O callbacks.
    await afterQueuedRequests();
    const { mint, lost } = await this.material.records(key, by, current, issued);
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
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
