import type { SfsTokenKey } from './token-record';

/** A decrypted token held in memory for fast serving. */
export interface SfsCachedToken {
  readonly tokenId: string;
  readonly accessToken: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

interface Entry {
  readonly key: string;
  readonly token: SfsCachedToken;
  readonly staleAt: number;
}

/** Cache key of a token key. NUL cannot occur in identifiers, so keys never collide. */
export function tokenKeyString(key: SfsTokenKey): string {
  return `${key.tenantId}\u0000${key.clientKey}\u0000${key.subjectId ?? ''}`;
}

/**
 * Bounded in-memory cache of decrypted tokens, least recently used evicted first. Entries are
 * dropped when another instance reports a change (LISTEN/NOTIFY) and, as a safety net, after a
 * lifetime that is short while that feed is down.
 */
export class SfsTokenCache {
  private readonly byKey = new Map<string, Entry>();
  private readonly keyById = new Map<string, string>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.byKey.size;
  }

  /** The cached token of `key` if still fresh at `now` (the caller checks servability). */
  get(key: string, now: number): SfsCachedToken | undefined {
    const entry = this.byKey.get(key);
    if (!entry) return undefined;
    if (entry.staleAt <= now) {
      this.delete(key);
      return undefined;
    }
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.byKey.delete(key);
    this.byKey.set(key, entry);
    return entry.token;
  }

  set(key: string, token: SfsCachedToken, staleAt: number): void {
    if (this.maxEntries <= 0) return;
    this.delete(key);
    this.byKey.set(key, { key, token, staleAt });
    this.keyById.set(token.tokenId, key);
    while (this.byKey.size > this.maxEntries) {
      const oldest = this.byKey.keys().next().value as string;
      this.delete(oldest);
    }
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
    this.keyById.delete(entry.token.tokenId);
  }

  clear(): void {
    this.byKey.clear();
    this.keyById.clear();
  }
}
