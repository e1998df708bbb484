import { Client } from 'pg';
import { sfsRelease010KeyLockId } from '../../../src/sfs-auth/compatibility/release-0.1';
import { SfsKeyRing } from '../../../src/sfs-auth/crypto/key-ring';
import { SfsTenantTokenCipher } from '../../../src/sfs-auth/crypto/tenant-token.cipher';
import { SfsTokenCipher } from '../../../src/sfs-auth/crypto/token-cipher';
import { SfsKeyLeaseStore } from '../../../src/sfs-auth/serving/key-lease.store';
import { at, eventFor, newRecord, useHarness } from '../persistence/persistence-harness';

/**
 * `compatibleWith: '0.1.0'` (src/sfs-auth/compatibility/release-0.1.ts): beside 0.1.0 instances a
 * new token is recorded holding 0.1.0's key lock and sealed as 0.1.0 seals. The whole fleet is
 * exercised by `npm run test:upgrade`; this is the mechanism on its own.
 */
describe('running beside 0.1.0 instances', () => {
  const h = useHarness('compat_010');
  const key = { tenantId: 'acme', clientKey: 'app', subjectId: 'user-1' };

  /** What a 0.1.0 mint does: its key's lock, its SFS call, then its row, then the commit. */
  async function mintAs010(holdMs: number): Promise<{ id: string; committed: Promise<void> }> {
    const client = new Client({ connectionString: h.db.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [sfsRelease010KeyLockId(key)]);
    const record = newRecord(key, { issued: 5 });
    const committed = (async () => {
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      try {
        await client.query(
          `INSERT INTO sfs_client_token (id, tenant_id, client_key, subject_id, status, token_ciphertext,
           token_key_id, fingerprint, issued_at, expires_at, refresh_at, session_started_at)
         VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $9, $10, $8)`,
          [
            record.id,
            key.tenantId,
            key.clientKey,
            key.subjectId,
            record.sealed!.ciphertext,
            record.sealed!.keyId,
            record.fingerprint,
            record.issuedAt,
            record.expiresAt,
            record.refreshAt,
          ],
        );
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    })();
    return { id: record.id, committed };
  }

  const mintOf = (record: ReturnType<typeof newRecord>) => ({
    record,
    events: [eventFor(record, 'issued', 10)],
  });
  const lostOf = (record: ReturnType<typeof newRecord>) => ({
    record: { ...record, status: 'revoking' as const, revokeReason: 'lost' },
    events: [eventFor(record, 'revoke_requested', 10)],
  });

  it('waits for a 0.1.0 mint in progress, then loses to its row: revoking, outbox, lease released', async () => {
    const store = new SfsKeyLeaseStore(h.dataSource, { compatibleWith: '0.1.0' });
    const claim = await store.claimKey(key, 'new-instance', at(1), 60_000);
    expect(claim.current).toBeNull();
    const old = await mintAs010(400);
    const ours = newRecord(key, { issued: 10 });
    const outcome = await store.recordMint(claim.lease!, mintOf(ours), lostOf(ours));
    await old.committed;
    expect(outcome).toBe('lost');
    const rows = await h.sql<{ id: string; status: string }>(
      `SELECT id, status FROM sfs_client_token ORDER BY status`,
    );
    expect(rows).toEqual([
      { id: old.id, status: 'active' },
      { id: ours.id, status: 'revoking' },
    ]);
    expect(await h.sql(`SELECT token_id FROM sfs_token_revocation`)).toEqual([
      { token_id: ours.id },
    ]);
    // The lease is free again: the next claim gets it at once and reads 0.1.0's row.
    const next = await store.claimKey(key, 'someone-else', at(11), 60_000);
    expect(next.lease).not.toBeNull();
    expect(next.current?.id).toBe(old.id);
  });

  it('without the setting, the same race records at once and leaves 0.1.0 a unique violation', async () => {
    const store = new SfsKeyLeaseStore(h.dataSource);
    const claim = await store.claimKey(key, 'new-instance', at(1), 60_000);
    const old = await mintAs010(200);
    const ours = newRecord(key, { issued: 10 });
    expect(await store.recordMint(claim.lease!, mintOf(ours), lostOf(ours))).toBe('stored');
    await expect(old.committed).rejects.toMatchObject({ code: '23505' });
  });

  it('seals as 0.1.0 does (format v1 under the ring key), and opens both formats', async () => {
    const ring = new SfsKeyRing([{ id: 'k1', key: Buffer.alloc(32, 7) }]);
    const dataKeys = {
      current: async () => ({ id: 'dk1', key: Buffer.alloc(32, 9) }),
      byId: async () => Buffer.alloc(32, 9),
    };
    const context = { tenantId: 'acme', tokenId: '6f1c3c8e-1f7e-4d4e-9a63-2b1f0f3a9c11' };
    const beside010 = new SfsTenantTokenCipher(new SfsTokenCipher(ring), dataKeys, {
      compatibleWith: '0.1.0',
    });
    const current = new SfsTenantTokenCipher(new SfsTokenCipher(ring), dataKeys);
    const v1 = await beside010.seal('tok', context);
    const v2 = await current.seal('tok', context);
    expect([v1.ciphertext[0], v1.keyId]).toEqual([1, 'k1']);
    expect([v2.ciphertext[0], v2.keyId]).toEqual([2, 'dk1']);
    // 0.1.0 opens v1 with its ring alone: the v1 cipher here is that format.
    expect(new SfsTokenCipher(ring).open(v1, context)).toBe('tok');
    expect(await current.open(v1, context)).toBe('tok');
    expect(await beside010.open(v2, context)).toBe('tok');
  });
});
