import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SfsServingStore } from './serving.store';
import { SFS_LAST_USED_MIN_LIMIT, SfsLastUsedTracker } from './last-used.tracker';
import { SfsSingleFlight } from '../common/single-flight';
import { SfsCacheEntry, SfsTokenCache, tokenKeyString, type SfsCachedToken } from './token-cache';
import { effectiveLeadMs } from '../model/refresh-schedule';
import type { SfsClientTokenRequest } from '../model/token-inputs';
import { SfsTokenMinter } from './token-minter';
import type { SfsServableToken } from './mint-outcome';
import { SfsTokenMaterial } from './token-material';
import type { SfsActor, SfsTokenKey, SfsTokenRecord } from '../model/token-record';
import { sfsErrorCode, sfsErrorDetail } from '../errors/safe-error';
import { SfsTokenChangeFeed } from '../change-feed/token-change.feed';

/**
 * Serves client tokens: memory, then the database, then a mint under the key lease. One in-process
 * flight per key, so a burst of callers costs one database read (and at most one mint).
 *
 * @internal
 */
@Injectable()
export class SfsTokenServingService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SfsTokenServingService.name);
  private readonly cache: SfsTokenCache;
  private readonly flights = new SfsSingleFlight<SfsCachedToken>();
  private readonly lastUsed: SfsLastUsedTracker;
  /** The flush {@link SfsLastUsedTracker} asked for when full, while it runs. */
  private earlyFlush: Promise<void> | undefined;
  private unsubscribe: Array<() => void> = [];

  constructor(
    private readonly minter: SfsTokenMinter,
    private readonly material: SfsTokenMaterial,
    private readonly rows: SfsServingStore,
    @Inject(SfsTokenChangeFeed) private readonly feed: SfsTokenChangeFeed,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'cache'>,
  ) {
    this.cache = new SfsTokenCache(options.cache.maxEntries);
    this.lastUsed = new SfsLastUsedTracker(
      Math.max(SFS_LAST_USED_MIN_LIMIT, options.cache.maxEntries),
      () => this.flushEarly(),
    );
  }

  /**
   * Writes the `last_used_at` stamps recorded since the last flush (one statement). The refresh
   * worker calls it every sweep and at shutdown; a full tracker calls it sooner.
   */
  async flushLastUsed(): Promise<void> {
    await this.earlyFlush;
    const entries = this.lastUsed.drain();
    if (entries.length > 0) await this.rows.touchLastUsed(entries);
  }

  private flushEarly(): void {
    this.earlyFlush ??= this.flushLastUsed()
      .catch((error: unknown) => {
        // Stamps are advisory (shown to admins): a failed write loses them, nothing else.
        this.logger.warn(`last-used flush failed: ${sfsErrorDetail(error)}`);
      })
      .finally(() => (this.earlyFlush = undefined));
  }

  onModuleInit(): void {
    this.unsubscribe = [
      this.feed.subscribe((change) => this.cache.invalidateToken(change.tokenId)),
      // Invalidations may have been lost with the feed's connection: trust nothing cached.
      this.feed.onReset(() => this.cache.clear()),
    ];
  }

  onModuleDestroy(): void {
    this.unsubscribe.forEach((unsubscribe) => unsubscribe());
  }

  /**
   * The cached token of a request, synchronously, or `undefined` (then call {@link get}). Only
   * strings reach the lookup and the cache holds validated keys only, so a request that is not
   * valid never matches an entry: it misses here and is refused by {@link get}'s validation.
   */
  peek(request: SfsClientTokenRequest): SfsCachedToken | undefined {
    if (typeof request !== 'object' || request === null) return undefined;
    const { tenantId, clientKey, subjectId } = request;
    if (typeof tenantId !== 'string' || typeof clientKey !== 'string') return undefined;
    // An empty subject is invalid, yet it would make the same cache key as "no subject".
    if (
      subjectId !== undefined &&
      subjectId !== null &&
      (typeof subjectId !== 'string' || subjectId === '')
    ) {
      return undefined;
    }
    const now = this.clock.now();
    const entry = this.cache.get(tenantId, clientKey, subjectId, now);
    if (entry === undefined) return undefined;
    this.lastUsed.touchEntry(entry, now);
    return entry;
  }

  /** A token of `key` that does not expire within the refresh lead. */
  async get(key: SfsTokenKey, actor: SfsActor): Promise<SfsCachedToken> {
    const cacheKey = tokenKeyString(key);
    const now = this.clock.now();
    const cached = this.cache.get(key.tenantId, key.clientKey, key.subjectId, now);
    if (cached) {
      this.lastUsed.touchEntry(cached, now);
      return cached;
    }
    const token = await this.flights.run(cacheKey, () => this.load(key, actor));
    if (token instanceof SfsCacheEntry) this.lastUsed.touchEntry(token, this.clock.now());
    else this.lastUsed.touch(token.tokenId, this.clock.now());
    return token;
  }

  /**
   * After SFS rejected `tokenId` (401): drops it and mints its key a new token, unless another
   * servable token already took its place.
   */
  async replaceRejected(key: SfsTokenKey, tokenId: string): Promise<void> {
    this.forget(tokenId);
    await this.minter.ensure(
      key,
      'host',
      (current, now) => current.id !== tokenId && this.material.servable(current, now),
    );
  }

  /** Drops a token from this instance's cache (the feed tells the other instances). */
  forget(tokenId: string): void {
    this.cache.invalidateToken(tokenId);
  }

  private async load(key: SfsTokenKey, actor: SfsActor): Promise<SfsCachedToken> {
    const row = await this.rows.findActive(key);
    if (this.material.servable(row, this.clock.now())) {
      try {
        return this.remember(key, await this.material.open(row));
      } catch (error) {
        // Undecryptable (key missing): mint a replacement under the lease below.
        this.logger.warn(
          `token ${row.id} of tenant ${key.tenantId} cannot be decrypted: ${sfsErrorCode(error)}`,
        );
      }
    }
    const { token } = await this.minter.ensure(
      key,
      actor,
      async (current, now) => this.material.servable(current, now) && (await this.opens(current)),
    );
    return this.remember(key, token);
  }

  private async opens(record: SfsTokenRecord): Promise<boolean> {
    try {
      await this.material.open(record);
      return true;
    } catch {
      return false;
    }
  }

  private remember(key: SfsTokenKey, token: SfsServableToken): SfsCachedToken {
    const now = this.clock.now();
    const ttl = this.feed.connected ? this.options.cache.ttlMs : this.options.cache.degradedTtlMs;
    // Served from the cache while fresh there and outside the refresh lead, whichever ends first.
    const lead = effectiveLeadMs(token.expiresAt - token.issuedAt, this.material.leadMs);
    const until = Math.min(now + ttl, token.expiresAt - lead);
    return this.cache.set(tokenKeyString(key), token, until) ?? token;
  }
}
