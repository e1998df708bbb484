import type { DataSource, QueryRunner } from 'typeorm';

/** Rows and affected-row count of one statement. */
export interface SfsSqlResult<R> {
  readonly rows: R[];
  readonly affected: number;
}

/** Thin wrapper over a TypeORM `QueryRunner`: parameterised SQL, structured results. */
export class SfsSqlSession {
  constructor(private readonly runner: QueryRunner) {}

  /** Runs one statement; `rows` is what it returned (`RETURNING` included). */
  async run<R = Record<string, unknown>>(
    text: string,
    params: unknown[] = [],
  ): Promise<SfsSqlResult<R>> {
    const result = await this.runner.query(text, params, true);
    return { rows: (result.records ?? []) as R[], affected: result.affected ?? 0 };
  }

  /** Runs one statement and returns its rows. */
  async rows<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.run<R>(text, params)).rows;
  }
}

/**
 * Guards of the module's own transactions, set with `SET LOCAL` so they end with the transaction
 * and leave no session state behind (safe behind a transaction pooler). None of these transactions
 * waits on SFS: a lock held longer than `lockTimeoutMs`, or a statement running longer than
 * `statementTimeoutMs`, means something is wrong, and the transaction fails rather than holding
 * its connection.
 */
export interface SfsTransactionTimeouts {
  /** `lock_timeout` of each transaction. */
  readonly lockTimeoutMs: number;
  /** `statement_timeout` of each statement of the transaction. */
  readonly statementTimeoutMs: number;
}

/** The guards {@link sfsInTransaction} applies unless told otherwise. */
export const SFS_TRANSACTION_TIMEOUTS: SfsTransactionTimeouts = {
  lockTimeoutMs: 2_000,
  statementTimeoutMs: 10_000,
};

/**
 * `BEGIN` and the guards in one round trip (a simple-protocol query may hold several statements;
 * the values are integers of our own, never input).
 */
function beginStatement(timeouts: SfsTransactionTimeouts): string {
  const lock = Math.max(1, Math.floor(timeouts.lockTimeoutMs));
  const statement = Math.max(1, Math.floor(timeouts.statementTimeoutMs));
  return `BEGIN; SET LOCAL lock_timeout = ${lock}; SET LOCAL statement_timeout = ${statement}`;
}

/**
 * Runs `fn` in one transaction (committed when it resolves, rolled back when it throws), with
 * `lock_timeout` and `statement_timeout` set locally. Callers never await SFS inside `fn`.
 */
export async function sfsInTransaction<T>(
  dataSource: DataSource,
  fn: (sql: SfsSqlSession) => Promise<T>,
  timeouts: SfsTransactionTimeouts = SFS_TRANSACTION_TIMEOUTS,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(beginStatement(timeouts));
    let result: T;
    try {
      result = await fn(new SfsSqlSession(runner));
    } catch (error) {
      // A broken connection cannot roll back; the server ends its transaction when it goes.
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    await runner.query('COMMIT');
    return result;
  } finally {
    await runner.release();
  }
}

/** Runs `fn` on a pooled connection outside any explicit transaction (single statements). */
export async function sfsWithConnection<T>(
  dataSource: DataSource,
  fn: (sql: SfsSqlSession) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    return await fn(new SfsSqlSession(runner));
  } finally {
    await runner.release();
  }
}
