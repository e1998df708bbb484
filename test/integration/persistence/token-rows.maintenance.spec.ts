import { randomBytes } from 'node:crypto';
import { SfsTenantTokenCipher } from '../../../src/sfs-auth/crypto/tenant-token.cipher';
import type { SfsTokenRecord } from '../../../src/sfs-auth/model/token-record';
import { at, cipher, useHarness, eventFor, newRecord, plaintextOf } from './persistence-harness';

/** Usage stamps (SfsServingStore), audit events and the key rotation's rows (SfsReencryptionStore). */
describe('Token rows: usage, events, rotation', () => {
  const h = useHarness('store_maint');
  const t = 'tenant-m';

  async function seed(subjectId: string | null = null): Promise<SfsTokenRecord> {
    const record = newRecord({ tenantId: t, subjectId });
    await h.insertToken(record, []);
    return (await h.serving.findById(t, record.id)) as SfsTokenRecord;
  }

  describe('touchLastUsed', () => {
    it('only moves last_used_at forward, keeps the latest of duplicates, never bumps version', async () => {
      const a = await seed('a');
      const b = await seed('b');
      await h.serving.touchLastUsed([
        { id: a.id, at: at(50) },
        { id: a.id, at: at(70) },
        { id: a.id, at: at(60) },
        { id: b.id, at: at(10) },
        { id: 'not-a-uuid', at: at(10) },
      ]);
      await h.serving.touchLastUsed([
        { id: a.id, at: at(65) },
        { id: b.id, at: at(20) },
      ]);
      expect(await h.serving.findById(t, a.id)).toMatchObject({ lastUsedAt: at(70), version: 0 });
      expect(await h.serving.findById(t, b.id)).toMatchObject({ lastUsedAt: at(20), version: 0 });
      await h.serving.touchLastUsed([]);
    });
  });

  describe('appendEvents', () => {
    it('appends events with reason, detail and tenant-level (null token) entries', async () => {
      const a = await seed();
      await h.appendEvents([
        eventFor(a, 'refresh_skipped', 5, {
          reason: 'idle',
          detail: { idleSeconds: 900, flag: true },
        }),
        {
          tenantId: t,
          tokenId: null,
          type: 'key_rotated',
          actor: 'admin:ops',
          at: at(6),
          reason: 'r'.repeat(300),
        },
      ]);
      const rows = await h.sql<Record<string, unknown>>(
        `SELECT tenant_id, token_id, type, actor, reason, detail, at FROM sfs_token_event ORDER BY id`,
      );
      expect(rows).toEqual([
        {
          tenant_id: t,
          token_id: a.id,
          type: 'refresh_skipped',
          actor: 'system',
          reason: 'idle',
          detail: { idleSeconds: 900, flag: true },
          at: at(5),
        },
        {
          tenant_id: t,
          token_id: null,
          type: 'key_rotated',
          actor: 'admin:ops',
          reason: 'r'.repeat(200),
          detail: null,
          at: at(6),
        },
      ]);
    });
  });

  describe('findRingSealed / reseal', () => {
    const dataKey = { id: 'dek:test-key', key: randomBytes(32) };
    const tenantCipher = new SfsTenantTokenCipher(cipher, {
      current: () => Promise.resolve(dataKey),
      byId: () => Promise.resolve(dataKey.key),
    });

    it('pages through rows sealed under a ring key, by id, skipping wiped rows', async () => {
      const rows = await Promise.all(['a', 'b', 'c', 'd'].map((s) => seed(s)));
      await h.refresh.markExpired(rows[3].id, 0, eventFor(rows[3], 'expired'));
      const ids = rows
        .slice(0, 3)
        .map((r) => r.id)
        .sort();
      const first = await h.reencryption.findRingSealed(null, 2);
      expect(first.map((r) => r.id)).toEqual(ids.slice(0, 2));
      const second = await h.reencryption.findRingSealed(first[1].id, 2);
      expect(second.map((r) => r.id)).toEqual(ids.slice(2));
    });

    it('reseals under a data key without bumping the version; it is no longer ring-sealed', async () => {
      const row = await seed();
      const ctx = { tenantId: t, tokenId: row.id };
      const sealed = await tenantCipher.seal(cipher.open(row.sealed!, ctx), ctx);
      expect(
        await h.reencryption.reseal(row.id, row.version, sealed, eventFor(row, 'key_rotated')),
      ).toBe(true);
      const after = (await h.serving.findById(t, row.id)) as SfsTokenRecord;
      expect(after).toMatchObject({ version: row.version, sealed: { keyId: 'dek:test-key' } });
      expect(await tenantCipher.open(after.sealed!, ctx)).toBe(plaintextOf(row.id));
      expect(await h.reencryption.findRingSealed(null, 10)).toEqual([]);
    });

    it('does not reseal a row whose material was wiped meanwhile', async () => {
      const row = await seed();
      await h.refresh.markExpired(row.id, 0, eventFor(row, 'expired'));
      expect(
        await h.reencryption.reseal(row.id, 1, row.sealed!, eventFor(row, 'key_rotated')),
      ).toBe(false);
      expect((await h.serving.findById(t, row.id))?.sealed).toBeNull();
    });
  });

  describe('markUndecryptable', () => {
    it('marks the row failed with the reason, keeps the material, only once', async () => {
      const row = await seed();
      const event = eventFor(row, 'key_missing', 0, { reason: 'ENCRYPTION_KEY_MISSING' });
      expect(
        await h.reencryption.markUndecryptable(row.id, 0, 'ENCRYPTION_KEY_MISSING', event),
      ).toBe(true);
      expect(await h.serving.findById(t, row.id)).toMatchObject({
        status: 'failed',
        lastError: 'ENCRYPTION_KEY_MISSING',
        sealed: row.sealed,
        version: 1,
      });
      expect(
        await h.reencryption.markUndecryptable(row.id, 1, 'ENCRYPTION_KEY_MISSING', event),
      ).toBe(false);
    });
  });
});
