import {
  type PersistenceHarness,
  at,
  eventFor,
  newRecord,
} from '../persistence/persistence-harness';
import type { SfsTokenRecord } from '../../../src/sfs-auth/model/token-record';

/** Where a seeded token ends up, through the store's own transitions. */
export type RetentionSeedState =
  | 'active'
  | 'expired'
  | 'revoked'
  | 'failed'
  | 'revoking'
  | 'revoking-gave-up'
  | 'failed-with-failed-outbox';

/**
 * Seeds a token of `tenantId` issued at `issued` seconds (1 h lifetime) and drives it to `state`.
 * `created_at` and `updated_at` are stamped by the database's `now()`, not by the test clock:
 * `changedAt` sets both explicitly, as the age the retention window is measured against.
 */
export async function seedInState(
  h: PersistenceHarness,
  tenantId: string,
  state: RetentionSeedState,
  changedAt: Date,
  issued = 0,
): Promise<SfsTokenRecord> {
  const record = newRecord({ tenantId, subjectId: `s-${Math.random()}` }, { issued });
  await h.insertToken(record, [eventFor(record, 'issued', issued)]);
  const token = (await h.serving.findById(tenantId, record.id)) as SfsTokenRecord;
  await drive(h, token, state);
  await h.sql('UPDATE sfs_client_token SET created_at = $2, updated_at = $2 WHERE id = $1', [
    token.id,
    changedAt,
  ]);
  return token;
}

async function drive(h: PersistenceHarness, token: SfsTokenRecord, state: RetentionSeedState) {
  if (state === 'active') return;
  if (state === 'expired') {
    await h.refresh.markExpired(token.id, token.version, eventFor(token, 'expired'));
    return;
  }
  if (state === 'failed') {
    await h.reencryption.markUndecryptable(
      token.id,
      token.version,
      'gone',
      eventFor(token, 'key_missing'),
    );
    return;
  }
  await h.outbox.requestRevocation(
    { tenantId: token.tenantId, tokenId: token.id },
    'test',
    'host',
    at(0),
  );
  if (state === 'revoking') return;
  const outbox = async () =>
    (
      await h.sql<{ id: string; version: number }>(
        'SELECT id, version FROM sfs_token_revocation WHERE token_id = $1',
        [token.id],
      )
    )[0];
  if (state === 'revoked') {
    const row = await outbox();
    await h.outbox.confirmRevocation(row.id, row.version, eventFor(token, 'revoked'));
    return;
  }
  if (state === 'failed-with-failed-outbox') {
    // A revoking row whose material cannot be decrypted any more becomes `failed`; its outbox stays.
    const [row] = await h.sql<{ version: number }>(
      'SELECT version FROM sfs_client_token WHERE id = $1',
      [token.id],
    );
    await h.reencryption.markUndecryptable(
      token.id,
      row.version,
      'gone',
      eventFor(token, 'key_missing'),
    );
  }
  const row = await outbox();
  const failure = { error: 'gave up', nextAttemptAt: null, permanent: true };
  await h.outbox.recordRevocationFailure(
    row.id,
    row.version,
    failure,
    eventFor(token, 'revoke_failed'),
  );
}

/** Ids of the token rows of a tenant that still exist. */
export async function remaining(h: PersistenceHarness, tenantId: string): Promise<string[]> {
  const rows = await h.sql<{ id: string }>(
    'SELECT id FROM sfs_client_token WHERE tenant_id = $1 ORDER BY id',
    [tenantId],
  );
  return rows.map((r) => r.id);
}

/**
 * A key refreshed `length - 1` times (each row `expired` with `replaced_by` the next one), its last
 * row expired too: a chain of dead rows, oldest first.
 */
export async function seedChain(
  h: PersistenceHarness,
  tenantId: string,
  length: number,
  changedAt: Date,
): Promise<string[]> {
  const key = { tenantId, subjectId: `chain-${Math.random()}` };
  let current = newRecord(key);
  await h.insertToken(current, []);
  const ids = [current.id];
  let version = (await h.serving.findById(tenantId, current.id))!.version;
  for (let i = 1; i < length; i++) {
    const next = newRecord(key, { issued: i });
    expect(await h.replaceToken(current, next, [])).toBe('stored');
    ids.push(next.id);
    current = next;
    version = (await h.serving.findById(tenantId, next.id))!.version;
  }
  await h.refresh.markExpired(current.id, version, eventFor(current, 'expired'));
  // Creation order is kept (one second apart): the purge claims chains in that order.
  await h.sql(
    `UPDATE sfs_client_token t SET updated_at = $2,
       created_at = $2::timestamptz - make_interval(secs => $3 - u.n)
     FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n) WHERE t.id = u.id`,
    [ids, changedAt, ids.length],
  );
  return ids;
}
