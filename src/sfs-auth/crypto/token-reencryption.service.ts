import { Inject, Injectable } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { SfsTenantDataKeys } from './tenant-data-keys';
import { SfsTenantTokenCipher } from './tenant-token.cipher';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { SFS_AUTH_EVENTS, SfsTokenFailedEvent } from '../events/sfs-auth-events';
import { SfsEventPublisher } from '../events/sfs-event.publisher';
import { SfsReencryptionStore } from './reencryption.store';
import type { SfsTokenRecord } from '../model/token-record';

/**
 * What a re-encryption run did.
 *
 * @group Tokens
 * @publicApi
 */
export interface SfsReencryptReport {
  /** Tenant data keys rewrapped under the key wrapper's current key (token rows untouched). */
  readonly rewrapped: number;
  /**
   * Rows sealed directly under a ring key (written before per-tenant data keys) moved to their
   * tenant's data key. 0 once every such row moved.
   */
  readonly migrated: number;
  /**
   * Data keys that could not be rewrapped (left as they were, logged), plus rows whose material
   * could not be decrypted (now `failed`, with an audit event).
   */
  readonly failed: number;
  /** Data keys or rows that changed meanwhile (a later run picks them up). */
  readonly skipped: number;
}

/** What one batch of a re-encryption run did, reported as it completes. */
export interface SfsReencryptBatch extends SfsReencryptReport {
  /** `rewrap`: tenant data keys rewrapped; `migrate`: ring-sealed token rows moved. */
  readonly phase: 'rewrap' | 'migrate';
  /** Data keys or token rows the batch read. */
  readonly rows: number;
}

/**
 * Key rotation with envelope encryption: rewraps each tenant's data key under the wrapper's
 * current key (one row per tenant, whatever the token count), then moves the rows still sealed
 * directly under a ring key to their tenant's data key, in batches by id (resumable: a run starts
 * over from what is still ring-sealed, which an index finds without scanning the table). A row
 * whose key is missing is marked `failed` and reported, never crashing the run.
 *
 * @internal
 */
@Injectable()
export class SfsTokenReencryptionService {
  constructor(
    private readonly store: SfsReencryptionStore,
    private readonly dataKeys: SfsTenantDataKeys,
    private readonly cipher: SfsTenantTokenCipher,
    private readonly publisher: SfsEventPublisher,
    @Inject(SfsClock) private readonly clock: SfsClock,
  ) {}

  /** One run over every data key and ring-sealed row; `onBatch` hears each batch as it completes. */
  async run(
    batchSize = 500,
    onBatch?: (batch: SfsReencryptBatch) => void,
  ): Promise<SfsReencryptReport> {
    const rewrap = await this.dataKeys.rewrapAll(batchSize, (batch) =>
      onBatch?.({ phase: 'rewrap', migrated: 0, ...batch }),
    );
    const report = {
      rewrapped: rewrap.rewrapped,
      migrated: 0,
      failed: rewrap.failed,
      skipped: rewrap.skipped,
    };
    let afterId: string | null = null;
    for (;;) {
      const rows = await this.store.findRingSealed(afterId, batchSize);
      const batch = { rewrapped: 0, migrated: 0, failed: 0, skipped: 0 };
      for (const row of rows) {
        const outcome = await this.migrate(row);
        report[outcome]++;
        batch[outcome]++;
      }
      if (rows.length > 0) onBatch?.({ phase: 'migrate', rows: rows.length, ...batch });
      if (rows.length < batchSize) return report;
      afterId = rows[rows.length - 1].id;
    }
  }

  /** Moves one ring-sealed row to its tenant's data key. */
  private async migrate(row: SfsTokenRecord): Promise<'migrated' | 'failed' | 'skipped'> {
    if (!row.sealed) return 'skipped';
    const context = { tenantId: row.tenantId, tokenId: row.id };
    const event = {
      tenantId: row.tenantId,
      tokenId: row.id,
      actor: 'system',
      at: new Date(this.clock.now()),
    };
    let plaintext: string;
    try {
      plaintext = await this.cipher.open(row.sealed, context);
    } catch (error) {
      const code = error instanceof SfsAuthError ? error.code : 'DECRYPTION_FAILED';
      const marked = await this.store.markUndecryptable(row.id, row.version, code, {
        ...event,
        type: 'key_missing',
        reason: code,
      });
      if (!marked) return 'skipped';
      this.publisher.publish(
        SFS_AUTH_EVENTS.tokenFailed,
        new SfsTokenFailedEvent(row.tenantId, row.id, 'reencrypt', code, true),
      );
      return 'failed';
    }
    const sealed = await this.cipher.seal(plaintext, context);
    const detail = { fromKeyId: row.sealed.keyId, toKeyId: sealed.keyId };
    const moved = await this.store.reseal(row.id, row.version, sealed, {
      ...event,
      type: 'key_rotated',
      detail,
    });
    return moved ? 'migrated' : 'skipped';
  }
}
