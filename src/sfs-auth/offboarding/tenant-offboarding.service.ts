import { Inject, Injectable } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { SfsTenantDataKeys } from '../crypto/tenant-data-keys';
import {
  SFS_AUTH_EVENTS,
  SfsTenantOffboardedEvent,
  type SfsOffboardingStatus,
} from '../events/sfs-auth-events';
import { SfsEventPublisher } from '../events/sfs-event.publisher';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import type { SfsOffboardingRecord } from './offboarding.queries';
import { SfsTenantOffboardingStore } from './tenant-offboarding.store';
import { SfsQueuedRevocations } from '../revocation/queued-revocations';

/**
 * Tenant offboarding, as a resumable state machine kept in the tenant's tombstone
 * (`sfs_tenant_offboarding`), so any instance carries on after a crash:
 * 1. `revoking`: the tombstone is written and every live token queued for revocation in one
 *    transaction (from then on nothing of the tenant is served or minted, on any instance); each
 *    step queues what a mint in flight may have added, and waits until SFS confirmed or gave up
 *    every revocation, and until the change feed had the time to reach every instance;
 * 2. `purging`: the revocations given up are named in the tombstone; token rows (with their outbox
 *    rows) and audit events are deleted in batches, each batch counted in the same transaction;
 * 3. `offboarded`: key leases, change-sequence rows and the data key are deleted; the tombstone
 *    stays, the one row of the tenant left.
 * Each state change and each progress is announced as `sfs-auth.tenant.offboarded`.
 *
 * @internal
 */
@Injectable()
export class SfsTenantOffboardingService {
  /** What was last announced per tenant in progress, so an unchanged step stays quiet. */
  private readonly announced = new Map<string, string>();
  private readonly startListeners = new Set<() => void>();

  constructor(
    private readonly store: SfsTenantOffboardingStore,
    private readonly queuedRevocations: SfsQueuedRevocations,
    private readonly dataKeys: SfsTenantDataKeys,
    private readonly publisher: SfsEventPublisher,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'changeFeed' | 'retention'>,
  ) {}

  /**
   * Starts the tenant's offboarding; when started already, queues what may have been minted
   * since and returns where it stands (announced only when it starts or changed). Idempotent.
   */
  async start(tenantId: string, reason: string, actor: string): Promise<SfsTenantOffboardedEvent> {
    const { record, created } = await this.queue(tenantId, reason, actor);
    this.startListeners.forEach((listener) => listener());
    return this.announce(record, created);
  }

  /** Calls `listener` after each {@link start} here (the worker then runs a pass at once). */
  whenStarted(listener: () => void): void {
    this.startListeners.add(listener);
  }

  /** The tenant's offboarding as it stands, or `null` when it was never offboarded. */
  async status(tenantId: string): Promise<SfsTenantOffboardedEvent | null> {
    const record = await this.store.find(tenantId);
    return record ? this.view(record) : null;
  }

  /** Tenants whose offboarding has not ended (for the worker). */
  unfinished(limit: number): Promise<string[]> {
    return this.store.listUnfinished(limit);
  }

  /** One step of the tenant's offboarding; returns where it is afterwards. */
  async advance(tenantId: string): Promise<SfsOffboardingStatus | null> {
    let record = await this.store.find(tenantId);
    if (!record || record.status === 'offboarded') return record?.status ?? null;
    if (record.status === 'revoking') {
      ({ record } = await this.queue(tenantId, record.reason, record.actor));
      // Polling instances read the change sequence every pollIntervalMs: it stays that long.
      const settledBefore = new Date(
        this.now().getTime() - 2 * this.options.changeFeed.pollIntervalMs,
      );
      if (!(await this.store.beginPurge(tenantId, settledBefore))) {
        await this.announce(record);
        return 'revoking';
      }
    }
    const limit = this.options.retention.batchSize;
    const batch = await this.store.purgeBatch(tenantId, limit, this.now());
    if (batch.kind !== 'purged' || batch.tokens >= limit || batch.events >= limit) {
      return this.announceStored(tenantId);
    }
    if (!(await this.store.complete(tenantId, this.now()))) return this.announceStored(tenantId);
    this.dataKeys.forget(tenantId);
    return this.announceStored(tenantId, true);
  }

  private now(): Date {
    return new Date(this.clock.now());
  }

  private async queue(tenantId: string, reason: string, actor: string) {
    const request = await this.store.requestRevocations(tenantId, reason, actor, this.now());
    this.queuedRevocations.queued(request.queued);
    return request;
  }

  private async announceStored(
    tenantId: string,
    always = false,
  ): Promise<SfsOffboardingStatus | null> {
    const record = await this.store.find(tenantId);
    if (!record) return null;
    await this.announce(record, always);
    return record.status;
  }

  /**
   * Publishes the tenant's state when it changed since this instance last announced it (or when
   * `always`); a repeated request that changed nothing stays quiet.
   */
  private async announce(
    record: SfsOffboardingRecord,
    always = false,
  ): Promise<SfsTenantOffboardedEvent> {
    const view = await this.view(record);
    const { failures: _failures, ...counted } = view;
    const signature = JSON.stringify(counted);
    // The end is announced once, by the instance that completed it.
    const changed =
      record.status !== 'offboarded' && this.announced.get(record.tenantId) !== signature;
    if (always || changed) {
      this.publisher.publish(SFS_AUTH_EVENTS.tenantOffboarded, view);
    }
    if (record.status === 'offboarded') this.announced.delete(record.tenantId);
    else this.announced.set(record.tenantId, signature);
    return view;
  }

  private async view(record: SfsOffboardingRecord): Promise<SfsTenantOffboardedEvent> {
    let revoked = record.tokensRevoked;
    let pending = 0;
    let failed = record.revocationsFailed;
    if (record.status === 'revoking') {
      ({ pending, failed } = await this.store.revocations(record.tenantId));
      revoked = Math.max(0, record.tokensToRevoke - pending - failed);
    }
    return new SfsTenantOffboardedEvent({
      tenantId: record.tenantId,
      status: record.status,
      reason: record.reason,
      requestedBy: record.actor,
      requestedAt: record.requestedAt,
      completedAt: record.completedAt,
      tokensToRevoke: record.tokensToRevoke,
      revoked,
      pendingRevocations: pending,
      failedRevocations: failed,
      purgedTokens: record.tokensPurged,
      purgedEvents: record.eventsPurged,
      failures: record.failures,
    });
  }
}
