import { SFS_RECORD_MINTS } from '../../../src/sfs-auth/serving/key-lease.queries';
import { useHarness } from './persistence-harness';

/** Whitespace folded, so indentation is no difference. */
const folded = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('the recording function (migration 1764900000000)', () => {
  const h = useHarness('record_mints_function', { truncateEachTest: false });

  it('runs the statement the code holds: a change to SFS_RECORD_MINTS needs a new migration', async () => {
    const [fn] = await h.sql<{ body: string; language: string }>(
      `SELECT p.prosrc AS body, l.lanname AS language
         FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
        WHERE p.proname = 'sfs_record_mints'`,
    );
    expect(fn.language).toBe('plpgsql');
    expect(folded(fn.body)).toBe(folded(`BEGIN RETURN QUERY ${SFS_RECORD_MINTS}; END`));
  });
});
