import { Inject, Injectable } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { SfsOffboardedTenants } from './offboarded-tenants';
import { SfsKeyLeaseStore, type SfsKeyClaim, type SfsKeyLease } from './key-lease.store';
import type { SfsMintDecision, SfsMintOutcome, SfsServableToken } from './mint-outcome';
import { SfsMintInstrumentation, type SfsMintProgress } from './mint.instrumentation';
import { SfsTokenIssuer } from './token-issuer';
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
 * outbox; one that cannot be recorded at all is revoked at once (`token-issuer.ts`). This is the
 * protocol only: spans, metrics and events are the instrumentation's (`mint.instrumentation.ts`).
 *
 * @internal
 */
@Injectable()
export class SfsTokenMinter {
  constructor(
    private readonly leases: SfsKeyLeaseStore,
    private readonly issuer: SfsTokenIssuer,
    private readonly material: SfsTokenMaterial,
    private readonly offboarded: SfsOffboardedTenants,
    @Inject(SfsClock) private readonly clock: SfsClock,
    private readonly instrumentation: SfsMintInstrumentation,
  ) {}

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

  /** {@link ensure} reusing the active row while it is servable (an admin's mint, with its reason). */
  ensureServable(
    key: SfsTokenKey,
    actor: SfsActor,
    reason?: string,
  ): Promise<{ token: SfsServableToken; minted: boolean }> {
    return this.ensure(key, actor, (current, now) => this.material.servable(current, now), reason);
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
    return this.instrumentation.observe(key, (progress) =>
      this.claimAndMint(key, actor, decide, progress, pass),
    );
  }

  private async claimAndMint(
    key: SfsTokenKey,
    actor: SfsActor,
    decide: SfsMintDecision,
    progress: SfsMintProgress,
    { claimed, sfsSlots, reason }: SfsReplaceOptions,
  ): Promise<SfsMintOutcome> {
    // Bounded: a holder records or its lease runs out within leaseMs; twice that is a fault.
    const giveUpAt = performance.now() + 2 * this.leases.leaseMs;
    for (let round = 0; ; round++) {
      const now = this.clock.now();
      const claim =
        round === 0 && claimed ? claimed : await this.leases.claimHere(key, new Date(now));
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
        progress.asking(claim.current ? 'refresh' : 'mint');
        return this.mintWith(claim.lease, key, { actor, reason }, claim.current, sfsSlots);
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
      progress.waitedForLease(performance.now() - waitFrom);
    }
  }

  private async refuseOffboarded(lease: SfsKeyLease): Promise<void> {
    try {
      await this.offboarded.assertNotOffboarded(lease.key.tenantId);
    } catch (error) {
      await this.leases.releaseKey(lease).catch(() => undefined);
      throw error;
    }
  }

  private async mintWith(
    lease: SfsKeyLease,
    key: SfsTokenKey,
    by: { actor: SfsActor; reason?: string },
    current: SfsTokenRecord | null,
    sfsSlots: SfsSemaphore | undefined,
  ): Promise<SfsMintOutcome> {
    let issued: { accessToken: string; expiresInSeconds: number };
    try {
      // No transaction is open and no connection is checked out while SFS answers.
      const call = () => this.issuer.issue(key, by.actor);
      issued = await (sfsSlots ? sfsSlots.run(call) : call());
    } catch (error) {
      await this.leases.releaseKey(lease).catch(() => undefined);
      throw error;
    }
    try {
      return await this.record(lease, key, by, current, issued);
    } catch (error) {
      // SFS issued a token that no committed row records: it must not stay live.
      await this.issuer.discard(key.tenantId, issued.accessToken);
      throw error;
    }
  }

  private async record(
    lease: SfsKeyLease,
    key: SfsTokenKey,
    by: { actor: SfsActor; reason?: string },
    current: SfsTokenRecord | null,
    issued: { accessToken: string; expiresInSeconds: number },
  ): Promise<SfsMintOutcome> {
    // The SFS slot this call held (the pass's or the bulkhead's) may already be another mint's:
    // its request goes out first. Sealing and the recording statement (whose write holds the
    // event loop) would otherwise run before undici writes it, which it does only after this
    // turn's I/O callbacks.
    await afterQueuedRequests();
    const { active, revoking } = await this.material.seal(key, by, current, issued);
    let stored: 'stored' | 'lost';
    try {
      stored = await this.leases.recordMint(lease, active, revoking);
    } catch (error) {
      // The database may be back soon: give the key back rather than make others wait out the lease.
      void this.leases.releaseKey(lease).catch(() => undefined);
      throw error;
    }
    if (stored === 'lost') return { kind: 'lost', tokenId: active.record.id };
    const token = {
      tokenId: active.record.id,
      accessToken: issued.accessToken,
      issuedAt: active.record.issuedAt.getTime(),
      expiresAt: active.record.expiresAt.getTime(),
    };
    return { kind: 'minted', token, replaced: current?.id ?? null };
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
