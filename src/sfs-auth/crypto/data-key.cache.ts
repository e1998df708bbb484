import type { SfsClock } from '../clock/clock';

/** An unwrapped data key: its id (stored with each ciphertext) and its 32 bytes. */
export interface SfsDataKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * Unwrapped data keys by tenant, each kept at most `ttlMs` (time from the injected clock) and at
 * most `maxEntries` of them (the oldest goes first). Bounded so a key destroyed elsewhere, or
 * revoked in the KMS, stops being usable here within `ttlMs`.
 */
export class SfsDataKeyCache {
  private readonly entries = new Map<string, { key: SfsDataKey; until: number }>();

  constructor(
    private readonly clock: SfsClock,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(tenantId: string): SfsDataKey | undefined {
    const entry = this.entries.get(tenantId);
    if (!entry) return undefined;
    if (entry.until <= this.clock.now()) {
      this.entries.delete(tenantId);
      return undefined;
    }
    return entry.key;
  }

  set(tenantId: string, key: SfsDataKey): void {
    if (this.ttlMs <= 0 || this.maxEntries <= 0) return;
    this.entries.delete(tenantId);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    this.entries.set(tenantId, { key, until: this.clock.now() + this.ttlMs });
  }

  delete(tenantId: string): void {
    this.entries.delete(tenantId);
  }

  get size(): number {
    return this.entries.size;
  }
}
