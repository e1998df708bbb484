import type { SfsTokenKey } from '../model/token-record';

/** A decrypted token held in memory for fast serving. */
export interface SfsCachedToken {
  readonly tokenId: string;
  readonly accessToken: string;
  readonly expiresAt: number;
}

/**
 * One cached token: the token itself (served as is, no copy per hit), the moment it stops being
 * usable (its cache lifetime or its refresh lead, whichever comes first) and bookkeeping.
 */
export class SfsCacheEntry implements SfsCachedToken {
  /** Position in the recency order (see {@link SfsTokenCache.get}). */
  tick = 0;
  /**
   * Last time it was served since the last `last_used_at` flush, in ms after the tracker's base
   * (a small integer: stored inline, where an epoch time would take a heap number per entry).
   */
  usedAt = 0;
  /** Whether it waits in the tracker's list for the next `last_used_at` flush. */
  listed = false;

  constructor(
    readonly key: string,
    readonly tokenId: string,
    readonly accessToken: string,
    readonly expiresAt: number,
    readonly usableUntil: number,
  ) {}
}

/** Cache key of a token key. NUL cannot occur in identifiers, so keys never collide. */
export function tokenKeyString(key: SfsTokenKey): string {
  return `${key.tenantId}\u0000${key.clientKey}\u0000${key.subjectId ?? ''}`;
}

/**
 * Bounded in-memory cache of decrypted tokens, about least recently used evicted first. Entries
 * are dropped when another instance reports a change (LISTEN/NOTIFY) and, as a safety net, after a
 * lifetime that is short while that feed is down.
 */
export class SfsTokenCache {
  /** Every entry by its flat key, in recency order (Map keeps insertion order): evicts from the front. */
  private readonly byKey = new Map<string, SfsCacheEntry>();
  /**
   * The same entries by tenant, client and subject (`''`: none): what a lookup walks, so a hit
   * hashes the caller's own strings (their hashes are cached in them) instead of building a key.
   */
  private readonly index = new Map<string, Map<string, Map<string, SfsCacheEntry>>>();
  private readonly keyById = new Map<string, string>();
  private tick = 0;
  /** An entry is moved to the recent end only once it has drifted this far from it. */
  private readonly bumpDistance: number;

  constructor(private readonly maxEntries: number) {
    this.bumpDistance = Math.max(1, Math.floor(maxEntries / 4));
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The entry of a key if it may still be served at `now` (fresh and outside the lead). */
  get(
    tenantId: string,
    clientKey: string,
    subjectId: string | null | undefined,
    now: number,
  ): SfsCacheEntry | undefined {
    const entry = this.index
      .get(tenantId)
      ?.get(clientKey)
      ?.get(subjectId ?? '');
    if (entry === undefined) return undefined;
    const key = entry.key;
    if (entry.usableUntil <= now) {
      this.delete(key);
      return undefined;
    }
    // Re-inserting (Map keeps insertion order) on every hit costs more than the lookup itself;
    // an entry still among the most recent quarter is far from eviction and stays where it is.
    if (this.tick - entry.tick > this.bumpDistance) {
      this.byKey.delete(key);
      this.byKey.set(key, entry);
      entry.tick = ++this.tick;
    }
    return entry;
  }

  /** Caches `token` under `key` until `usableUntil`; returns the entry (or `undefined` when off). */
  set(ropeKey: string, token: SfsCachedToken, usableUntil: number): SfsCacheEntry | undefined {
    if (this.maxEntries <= 0) return undefined;
    // A template-literal key is a rope that holds on to the caller's strings; the copy kept is
    // one flat string (decoded from bytes), about a hundred bytes less per entry.
    const key = Buffer.from(ropeKey, 'utf8').toString('utf8');
    this.delete(key);
    const entry = new SfsCacheEntry(
      key,
      token.tokenId,
      token.accessToken,
      token.expiresAt,
      usableUntil,
    );
    entry.tick = ++this.tick;
    this.byKey.set(key, entry);
    this.keyById.set(token.tokenId, key);
    const [tenantId, clientKey, subjectKey] = key.split('\u0000');
    let clients = this.index.get(tenantId);
    if (clients === undefined) this.index.set(tenantId, (clients = new Map()));
    let subjects = clients.get(clientKey);
    if (subjects === undefined) clients.set(clientKey, (subjects = new Map()));
    subjects.set(subjectKey, entry);
    while (this.byKey.size > this.maxEntries) {
      const oldest = this.byKey.keys().next().value as string;
      this.delete(oldest);
    }
    return entry;
  }

  /** Drops the entry holding token `tokenId`, if any. */
  invalidateToken(tokenId: string): void {
    const key = this.keyById.get(tokenId);
    if (key !== undefined) this.delete(key);
  }

  delete(key: string): void {
    const entry = this.byKey.get(key);
    if (!entry) return;
    this.byKey.delete(key);
    this.keyById.delete(entry.tokenId);
    const [tenantId, clientKey, subjectKey] = key.split('\u0000');
    const clients = this.index.get(tenantId);
    const subjects = clients?.get(clientKey);
    if (clients === undefined || subjects === undefined) return;
    subjects.delete(subjectKey);
    if (subjects.size > 0) return;
    clients.delete(clientKey);
    if (clients.size === 0) this.index.delete(tenantId);
  }

  clear(): void {
    this.byKey.clear();
    this.keyById.clear();
    this.index.clear();
  }
}
