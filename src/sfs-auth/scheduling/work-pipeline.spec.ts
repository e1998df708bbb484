import { sfsRunPipelinedPass, type SfsPipelinedPass } from './work-pipeline';

/** A queue of `due` numbered rows; records every claim's limit and what each lane saw. */
function queueOf(due: number, options: { failClaim?: number } = {}) {
  let next = 0;
  const limits: number[] = [];
  const log: string[] = [];
  const claim = async (limit: number): Promise<number[]> => {
    limits.push(limit);
    log.push(`claim ${limit}`);
    await Promise.resolve();
    if (options.failClaim === limits.length) throw new Error('claim failed');
    const rows = Array.from(
      { length: Math.max(0, Math.min(limit, due - next)) },
      (_, i) => next + i,
    );
    next += rows.length;
    return rows;
  };
  return { claim, limits, log };
}

const pass = (
  claim: (limit: number) => Promise<number[]>,
  extra: Partial<SfsPipelinedPass<number, string>> = {},
): SfsPipelinedPass<number, string> => ({
  claim,
  batchSize: 10,
  lanes: 3,
  maxBatches: 100,
  work: async (row) => {
    await new Promise((resolve) => setImmediate(resolve));
    return `done ${row}`;
  },
  ...extra,
});

describe('sfsRunPipelinedPass', () => {
  it('claims one row per lane first, then whole batches ahead, until a claim comes back short', async () => {
    const q = queueOf(25);
    const report = await sfsRunPipelinedPass(pass(q.claim));
    expect(q.limits).toEqual([3, 10, 10, 10]);
    expect(report.claimed).toBe(25);
    expect([...report.outcomes].sort()).toEqual(
      Array.from({ length: 25 }, (_, i) => `done ${i}`).sort(),
    );
    expect(report.backlog).toBe(false);
  });

  it('claims the next batch while lanes still work, once no more rows wait than there are lanes', async () => {
    const q = queueOf(13);
    const started: number[] = [];
    await sfsRunPipelinedPass(
      pass(q.claim, {
        work: async (row, waiting) => {
          started.push(row);
          q.log.push(`row ${row} (${waiting.length} waiting)`);
          await new Promise((resolve) => setImmediate(resolve));
          return `done ${row}`;
        },
      }),
    );
    // The second claim is made before the first three rows are done (they are in flight).
    const secondClaim = q.log.indexOf('claim 10');
    expect(secondClaim).toBeGreaterThan(0);
    expect(q.log.slice(secondClaim + 1, secondClaim + 3)).toEqual([
      'row 0 (2 waiting)',
      'row 1 (1 waiting)',
    ]);
    expect(started.sort((a, b) => a - b)).toEqual(Array.from({ length: 13 }, (_, i) => i));
  });

  it('stops after maxBatches claims and reports a backlog', async () => {
    const q = queueOf(1000);
    const report = await sfsRunPipelinedPass(pass(q.claim, { maxBatches: 3 }));
    expect(q.limits).toEqual([3, 10, 10]);
    expect(report).toMatchObject({ claimed: 23, backlog: true });
    expect(report.outcomes).toHaveLength(23);
  });

  it('reports no backlog when the queue was empty', async () => {
    const q = queueOf(0);
    await expect(sfsRunPipelinedPass(pass(q.claim))).resolves.toEqual({
      claimed: 0,
      outcomes: [],
      backlog: false,
    });
    expect(q.limits).toEqual([3]);
  });

  it('fails when the first claim fails, and ends with the rows in hand when a later one does', async () => {
    await expect(sfsRunPipelinedPass(pass(queueOf(50, { failClaim: 1 }).claim))).rejects.toThrow(
      'claim failed',
    );
    const q = queueOf(50, { failClaim: 2 });
    const report = await sfsRunPipelinedPass(pass(q.claim));
    // The first claim came back full: more may be due, and the next pass tries again.
    expect(report).toMatchObject({ claimed: 3, backlog: true });
    expect(report.outcomes).toEqual(['done 0', 'done 1', 'done 2']);
    expect(q.limits).toEqual([3, 10]);
  });

  it('works on at most `lanes` rows at once', async () => {
    const q = queueOf(40);
    let active = 0;
    let most = 0;
    await sfsRunPipelinedPass(
      pass(q.claim, {
        lanes: 4,
        work: async (row) => {
          most = Math.max(most, ++active);
          await new Promise((resolve) => setTimeout(resolve, 1));
          active--;
          return `done ${row}`;
        },
      }),
    );
    expect(most).toBe(4);
  });
});
