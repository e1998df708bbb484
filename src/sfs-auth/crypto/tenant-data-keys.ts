import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import {
  SfsTenantKeyStore,
  type SfsDataKeyRewrap,
  type SfsStoredDataKey,
} from './tenant-key.store';
import { mapConcurrent } from '../common/map-concurrent';
import { SfsSingleFlight } from '../common/single-flight';
import { SfsDataKeyCache, type SfsDataKey } from './data-key.cache';
import { SfsKeyWrapper } from '../options/key-wrapper';
import { sfsErrorCode } from '../errors/safe-error';

/** What {@link SfsTenantDataKeys} reads and writes of the tenant keys' rows. */
export type SfsTenantKeyRows = Pick<
  SfsTenantKeyStore,
  'find' | 'insertIfAbsent' | 'findWrappedNotUnder' | 'rewrap'
>;

/** Data key ids start with this; ring key ids (`[A-Za-z0-9_-]`) never contain a colon. */
export const SFS_DATA_KEY_PREFIX = 'dek:';

/** What a rewrap pass did. */
export interface SfsRewrapReport {
  /** Data keys now wrapped under the wrapper's current key. */
  readonly rewrapped: number;
  /** Data keys that could not be unwrapped or wrapped (logged with their tenant; left as they were). */
  readonly failed: number;
  /** Data keys another instance rewrapped meanwhile. */
  readonly skipped: number;
}

/**
 * Per-tenant data keys (envelope encryption): a random 32-byte key per tenant, created on first
 * use and stored only wrapped through the {@link SfsKeyWrapper} port. Unwrapped keys stay in a
 * bounded cache for `dataKeys.cacheTtlMs`; one unwrap per tenant is in flight at a time.
 *
 * @internal
 */
@Injectable()
export class SfsTenantDataKeys {
  private readonly logger = new Logger('SfsAuth');
  private readonly cache: SfsDataKeyCache;
  private readonly flights = new SfsSingleFlight<SfsDataKey | null>();

  constructor(
    @Inject(SfsTenantKeyStore) private readonly store: SfsTenantKeyRows,
    @Inject(SfsKeyWrapper) private readonly wrapper: SfsKeyWrapper,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'dataKeys' | 'workers'>,
  ) {
    const { cacheTtlMs, cacheMaxEntries } = options.dataKeys;
    this.cache = new SfsDataKeyCache(clock, cacheTtlMs, cacheMaxEntries);
  }

  /** The tenant's data key, created and stored (wrapped) on first use. */
  async current(tenantId: string): Promise<SfsDataKey> {
    const cached = this.cache.get(tenantId);
    if (cached) return cached;
    const key = await this.flights.run(`create\u0000${tenantId}`, async () => {
      const stored = await this.store.find(tenantId);
      return stored ? this.unwrap(stored) : this.create(tenantId);
    });
    return key as SfsDataKey;
  }

  /**
   * The tenant's data key `dataKeyId`, to open material sealed under it.
   * @throws SfsAuthError `ENCRYPTION_KEY_MISSING` when the tenant has no such key (destroyed).
   */
  async byId(tenantId: string, dataKeyId: string): Promise<Buffer> {
    const cached = this.cache.get(tenantId);
    if (cached?.id === dataKeyId) return cached.key;
    const key = await this.flights.run(`open\u0000${tenantId}`, async () => {
      const stored = await this.store.find(tenantId);
      return stored ? this.unwrap(stored) : null;
    });
    if (key?.id !== dataKeyId) {
      throw new SfsAuthError(
        'ENCRYPTION_KEY_MISSING',
        `tenant ${tenantId} has no data key '${dataKeyId}' (destroyed, or never stored)`,
        false,
        { tenantId },
      );
    }
    return key.key;
  }

  /** Drops the tenant's unwrapped key from this instance's memory. */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  /**
   * Rewraps every data key not wrapped under the wrapper's current key, in batches of
   * `batchSize` (one row per tenant: the cost does not depend on the token count). Resumable: a
   * later run picks up whatever is still wrapped under another key. `onBatch` hears what each
   * batch did, as it completes.
   */
  async rewrapAll(
    batchSize: number,
    onBatch?: (batch: SfsRewrapReport & { readonly rows: number }) => void,
  ): Promise<SfsRewrapReport> {
    const report = { rewrapped: 0, failed: 0, skipped: 0 };
    const target = await this.wrapper.currentKeyId();
    let after: string | null = null;
    for (;;) {
      const rows = await this.store.findWrappedNotUnder(target, after, batchSize);
      const rewrapped = await mapConcurrent(rows, this.options.workers.concurrency, (row) =>
        this.rewrapOne(row),
      );
      const updates = rewrapped.filter((u): u is SfsDataKeyRewrap => u !== null);
      const written = await this.store.rewrap(updates, new Date(this.clock.now()));
      const batch = {
        rows: rows.length,
        rewrapped: written,
        failed: rows.length - updates.length,
        skipped: updates.length - written,
      };
      report.rewrapped += batch.rewrapped;
      report.failed += batch.failed;
      report.skipped += batch.skipped;
      if (rows.length > 0) onBatch?.(batch);
      if (rows.length < batchSize) return report;
      after = rows[rows.length - 1].tenantId;
    }
  }

  private async rewrapOne(row: SfsStoredDataKey): Promise<SfsDataKeyRewrap | null> {
    const context = { tenantId: row.tenantId };
    try {
      const dataKey = await this.wrapper.unwrap(row.wrapped, context);
      return {
        tenantId: row.tenantId,
        dataKeyId: row.dataKeyId,
        version: row.version,
        fromKeyId: row.wrapped.keyId,
        wrapped: await this.wrapper.wrap(dataKey, context),
      };
    } catch (error) {
      this.logger.error(
        `data key of tenant ${row.tenantId} (wrapped under '${row.wrapped.keyId}') could not be rewrapped: ${sfsErrorCode(error)}`,
      );
      return null;
    }
  }

  private async create(tenantId: string): Promise<SfsDataKey> {
    const key = randomBytes(32);
    const id = `${SFS_DATA_KEY_PREFIX}${randomBytes(12).toString('base64url')}`;
    const wrapped = await this.wrapper.wrap(key, { tenantId });
    const stored = await this.store.insertIfAbsent(
      { tenantId, dataKeyId: id, wrapped },
      new Date(this.clock.now()),
    );
    // Another instance created the tenant's key first: use that one.
    if (stored.dataKeyId !== id) return this.unwrap(stored);
    const dataKey = { id, key };
    this.cache.set(tenantId, dataKey);
    return dataKey;
  }

  private async unwrap(stored: SfsStoredDataKey): Promise<SfsDataKey> {
    const { tenantId } = stored;
    let key: Buffer;
    try {
      key = await this.wrapper.unwrap(stored.wrapped, { tenantId });
    } catch (error) {
      if (error instanceof SfsAuthError) throw error;
      throw new SfsAuthError(
        'ENCRYPTION_KEY_MISSING',
        `the data key of tenant ${tenantId} could not be unwrapped (wrapping key '${stored.wrapped.keyId}')`,
        false,
        { tenantId, cause: error },
      );
    }
    if (key.length !== 32) {
      throw new SfsAuthError(
        'DECRYPTION_FAILED',
        `the key wrapper returned a data key of ${key.length} bytes for tenant ${tenantId}`,
        false,
        { tenantId },
      );
    }
    const dataKey = { id: stored.dataKeyId, key };
    this.cache.set(tenantId, dataKey);
    return dataKey;
  }
}
