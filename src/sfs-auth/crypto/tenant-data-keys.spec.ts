import { randomBytes } from 'node:crypto';
import { SfsManualClock } from '../clock/clock';
import { SfsAuthError } from '../errors/sfs-auth.error';
import type { SfsAuthResolvedOptions } from '../options/option-table';
import type { SfsDataKeyRewrap, SfsStoredDataKey } from './tenant-key.types';
import { SfsDataKeyCache } from './data-key.cache';
import { SfsKeyRing } from './key-ring';
import { SfsRingKeyWrapper } from './ring-key.wrapper';
import { SfsTenantDataKeys, type SfsTenantKeyRows } from './tenant-data-keys';

/** The store's contract in memory (the PostgreSQL one is covered by test/integration/keys). */
class MemoryTenantKeyStore implements SfsTenantKeyRows {
  readonly rows = new Map<string, SfsStoredDataKey>();
  finds = 0;
  find(tenantId: string) {
    this.finds++;
    return Promise.resolve(this.rows.get(tenantId) ?? null);
  }
  insertIfAbsent(key: Omit<SfsStoredDataKey, 'version'>) {
    if (!this.rows.has(key.tenantId)) this.rows.set(key.tenantId, { ...key, version: 0 });
    return Promise.resolve(this.rows.get(key.tenantId)!);
  }
  findWrappedNotUnder(keyId: string, after: string | null, limit: number) {
    const rows = [...this.rows.values()]
      .filter((r) => r.wrapped.keyId !== keyId && (after === null || r.tenantId > after))
      .sort((a, b) => a.tenantId.localeCompare(b.tenantId));
    return Promise.resolve(rows.slice(0, limit));
  }
  rewrap(keys: ReadonlyArray<SfsDataKeyRewrap>) {
    let n = 0;
    for (const k of keys) {
      const row = this.rows.get(k.tenantId);
      if (row?.version !== k.version) continue;
      this.rows.set(k.tenantId, { ...row, wrapped: k.wrapped, version: row.version + 1 });
      n++;
    }
    return Promise.resolve(n);
  }
}

const options = (cacheTtlMs: number, cacheMaxEntries = 10) =>
  ({
    dataKeys: { cacheTtlMs, cacheMaxEntries },
    workers: { concurrency: 4 },
  }) as SfsAuthResolvedOptions;
const ringKey = (id: string) => ({ id, key: randomBytes(32) });

describe('SfsDataKeyCache', () => {
  it('keeps a key for the TTL of the injected clock, and at most maxEntries keys', () => {
    const clock = new SfsManualClock(0);
    const cache = new SfsDataKeyCache(clock, 1000, 2);
    const k = (id: string) => ({ id, key: Buffer.alloc(32) });
    cache.set('a', k('1'));
    clock.advance(999);
    expect(cache.get('a')?.id).toBe('1');
    clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', k('1'));
    cache.set('b', k('2'));
    cache.set('c', k('3'));
    expect([cache.get('a'), cache.get('b')?.id, cache.get('c')?.id]).toEqual([undefined, '2', '3']);
    expect(cache.size).toBe(2);
  });

  it('keeps nothing with a TTL of 0', () => {
    const cache = new SfsDataKeyCache(new SfsManualClock(0), 0, 10);
    cache.set('a', { id: '1', key: Buffer.alloc(32) });
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('SfsTenantDataKeys', () => {
  const k1 = ringKey('k1');
  const setup = (ttl = 1000, keys = [k1]) => {
    const store = new MemoryTenantKeyStore();
    const clock = new SfsManualClock(0);
    const wrapper = new SfsRingKeyWrapper(new SfsKeyRing(keys));
    return { store, clock, keys: new SfsTenantDataKeys(store, wrapper, clock, options(ttl)) };
  };

  it('creates one key per tenant on first use, even for concurrent callers, and stores it wrapped', async () => {
    const { store, keys } = setup();
    const got = await Promise.all([keys.current('t1'), keys.current('t1'), keys.current('t2')]);
    expect(got[0]).toBe(got[1]);
    expect(got[0].id).toMatch(/^dek:[A-Za-z0-9_-]{16}$/);
    expect(got[2].id).not.toBe(got[0].id);
    expect(store.rows.size).toBe(2);
    const row = store.rows.get('t1')!;
    expect(row.wrapped.keyId).toBe('k1');
    expect(row.wrapped.wrapped.includes(got[0].key)).toBe(false);
  });

  it('unwraps a stored key once per TTL; byId refuses an id that is not the tenant’s', async () => {
    const a = setup();
    const created = await a.keys.current('t1');
    const b = new SfsTenantDataKeys(
      a.store,
      new SfsRingKeyWrapper(new SfsKeyRing([k1])),
      a.clock,
      options(1000),
    );
    const finds = a.store.finds;
    expect(await b.byId('t1', created.id)).toEqual(created.key);
    expect(await b.byId('t1', created.id)).toEqual(created.key);
    expect(a.store.finds - finds).toBe(1);
    a.clock.advance(1000);
    await b.byId('t1', created.id);
    expect(a.store.finds - finds).toBe(2);
    await expect(b.byId('t1', 'dek:other')).rejects.toMatchObject({
      code: 'ENCRYPTION_KEY_MISSING',
    });
    await expect(b.byId('t-none', created.id)).rejects.toBeInstanceOf(SfsAuthError);
    expect(a.store.rows.has('t-none')).toBe(false);
  });

  it('rewraps only keys under another wrapping key, in batches; the same data key comes back', async () => {
    const { store, clock, keys } = setup();
    const before = await Promise.all(['a', 'b', 'c'].map((t) => keys.current(t)));
    const k2 = ringKey('k2');
    const rotated = new SfsTenantDataKeys(
      store,
      new SfsRingKeyWrapper(new SfsKeyRing([k2, k1])),
      clock,
      options(0),
    );
    expect(await rotated.rewrapAll(2)).toEqual({ rewrapped: 3, failed: 0, skipped: 0 });
    expect(await rotated.rewrapAll(2)).toEqual({ rewrapped: 0, failed: 0, skipped: 0 });
    const only2 = new SfsTenantDataKeys(
      store,
      new SfsRingKeyWrapper(new SfsKeyRing([k2])),
      clock,
      options(0),
    );
    for (const [i, t] of ['a', 'b', 'c'].entries()) {
      expect(await only2.byId(t, before[i].id)).toEqual(before[i].key);
    }
  });
});
