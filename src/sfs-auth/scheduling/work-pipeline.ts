/**
 * Rows a pass holds beyond its SFS slots: rows whose SFS call is done and whose outcome waits for
 * the next batched statement (`common/batcher.ts`), or whose key claim is on its way. With only
 * half as many rows again as slots, a pass at full speed had 4 rows waiting for each statement, and
 * the slots then waited for rows; with this many, one statement records 12 rows at L=0 and
 * PostgreSQL's CPU per refresh halves (`npm run bench refresh`, docs/performance.md).
 */
const ROWS_BEYOND_SFS_SLOTS = 64;

/** Rows worked on at once by a pass making `concurrency` SFS calls at a time. */
export function sfsPassLanes(concurrency: number): number {
  return concurrency + ROWS_BEYOND_SFS_SLOTS;
}

/** What a worker's pass gives {@link sfsRunPipelinedPass}. */
export interface SfsPipelinedPass<T, O> {
  /** Claims up to `limit` due rows (as this instance, with a lease). */
  claim(limit: number): Promise<T[]>;
  /** Rows one claim takes (the first claim takes one per lane, so work starts at once). */
  readonly batchSize: number;
  /** Rows worked on at once. */
  readonly lanes: number;
  /** Claims one pass makes at most before it reports a backlog and hands over. */
  readonly maxBatches: number;
  /**
   * Works on one claimed row. `waiting` is the rows claimed and not started yet, in claim order
   * (e.g. to prepare the next rows together); it may be read, not changed.
   */
  work(row: T, waiting: readonly T[]): Promise<O>;
}

/** What a pipelined pass did. */
export interface SfsPipelinedReport<O> {
  readonly claimed: number;
  readonly outcomes: O[];
  /** The last claim came back full, or the pass stopped at `maxBatches`: more may be due. */
  readonly backlog: boolean;
}

/**
 * Runs a worker pass as `lanes` loops over a queue of claimed rows, claiming the next batch ahead
 * (once no more rows wait than there are lanes) while the lanes still work, so no lane idles at a
 * batch boundary. The pass ends when a claim comes back short (or fails), or after `maxBatches`
 * claims, once every row in hand is done.
 */
export async function sfsRunPipelinedPass<T, O>(
  pass: SfsPipelinedPass<T, O>,
): Promise<SfsPipelinedReport<O>> {
  const { batchSize, lanes, maxBatches } = pass;
  const waiting: T[] = [];
  const outcomes: O[] = [];
  let claimed = 0;
  let batches = 0;
  let exhausted = false;
  let lastFull = false;
  let claiming: Promise<void> | undefined;
  const claimNext = (limit: number): Promise<void> =>
    (claiming ??= (async () => {
      try {
        const rows = await pass.claim(limit);
        batches++;
        claimed += rows.length;
        waiting.push(...rows);
        lastFull = rows.length >= limit;
        if (!lastFull || batches >= maxBatches) exhausted = true;
      } catch (error) {
        exhausted = true;
        throw error;
      } finally {
        claiming = undefined;
      }
    })());
  await claimNext(Math.min(batchSize, lanes));
  const lane = async (): Promise<void> => {
    for (;;) {
      if (!exhausted && waiting.length <= lanes) void claimNext(batchSize).catch(() => undefined);
      const row = waiting.shift();
      if (row !== undefined) {
        outcomes.push(await pass.work(row, waiting));
      } else if (claiming) {
        await claiming.catch(() => undefined);
      } else {
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return { claimed, outcomes, backlog: lastFull };
}
