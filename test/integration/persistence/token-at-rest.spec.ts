import { at, useHarness, eventFor, newRecord, plaintextOf } from './persistence-harness';

/** Token material never reaches the database in the clear, in any column of any table. */
describe('tokens at rest', () => {
  const h = useHarness('at_rest', { truncateEachTest: false });

  it('a dump of every table holds no plaintext token, in text, bytea, hex or base64', async () => {
    const records = Array.from({ length: 6 }, (_, i) =>
      newRecord({ tenantId: `t${i % 2}`, subjectId: `u${i}` }, { refreshIn: 10 }),
    );
    for (const r of records)
      await h.insertToken(r, [
        eventFor(r, 'issued', 0, { detail: { fingerprint: r.fingerprint.slice(0, 12) } }),
      ]);
    const [claimed] = await h.refresh.claimDueRefreshes('w', at(20), 1000, 1);
    const next = newRecord(
      { tenantId: claimed.tenantId, subjectId: claimed.subjectId },
      { issued: 20 },
    );
    await h.replaceToken(claimed, next, [eventFor(next, 'refreshed', 20)]);
    const lost = newRecord(
      { tenantId: 't0', subjectId: 'lost' },
      { status: 'revoking', revokeReason: 'lost race' },
    );
    await h.insertToken(lost, []);
    await h.outbox.requestRevocation({ tenantId: 't1' }, 'offboarded', 'admin:ops', at(30));

    const secrets = [...records, next, lost].map((r) => plaintextOf(r.id));
    const needles = secrets.flatMap((s) => {
      const bytes = Buffer.from(s, 'utf8');
      return [s, bytes.toString('hex'), bytes.toString('base64')];
    });
    const tables = await h.sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    let cells = 0;
    for (const { table_name } of tables) {
      // row_to_json renders bytea as \x-hex: one text form of every column, whatever its type.
      const dump = await h.sql<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM "${table_name}" t`,
      );
      const raw = await h.sql<Record<string, unknown>>(`SELECT * FROM "${table_name}"`);
      for (const row of dump) for (const needle of needles) expect(row.row).not.toContain(needle);
      for (const row of raw) {
        for (const value of Object.values(row)) {
          cells++;
          if (Buffer.isBuffer(value)) {
            for (const s of secrets) expect(value.includes(Buffer.from(s, 'utf8'))).toBe(false);
          }
        }
      }
    }
    expect(cells).toBeGreaterThan(100);
    const sealed = await h.sql(`SELECT 1 FROM sfs_client_token WHERE token_ciphertext IS NOT NULL`);
    expect(sealed.length).toBeGreaterThanOrEqual(records.length);
  });
});
