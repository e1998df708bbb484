import type { QueryRunner } from 'typeorm';
import { SfsSqlSession } from '../persistence/sql-session';
import { sfsLockKeyAsRelease010, sfsRelease010KeyLockId } from './release-0.1';

describe("0.1.0's key lock", () => {
  const key = { tenantId: 'acme', clientKey: 'app', subjectId: 'user-1' };

  it('has the advisory-lock ids 0.1.0 computes (values from its own build)', () => {
    expect(sfsRelease010KeyLockId(key)).toBe('-3974178612709315561');
    expect(sfsRelease010KeyLockId({ ...key, subjectId: null })).toBe('716727212733666005');
    expect(sfsRelease010KeyLockId({ ...key, clientKey: 'app2' })).not.toBe('-3974178612709315561');
  });

  it("takes that id's transaction-scoped advisory lock, as 0.1.0 does", async () => {
    const sent: Array<{ text: string; params: unknown[] }> = [];
    // A query runner that records what it is sent (the statement's effect is Postgres's).
    const runner = {
      query: async (text: string, params: unknown[]) => {
        sent.push({ text, params });
        return { records: [], affected: 0 };
      },
    } as Pick<QueryRunner, 'query'> as QueryRunner;
    await sfsLockKeyAsRelease010(new SfsSqlSession(runner), key);
    expect(sent).toEqual([
      { text: 'SELECT pg_advisory_xact_lock($1::bigint)', params: ['-3974178612709315561'] },
    ]);
  });
});
