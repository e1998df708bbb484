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

/** Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). */
export function sfsInTransaction<T>(
  dataSource: DataSource,
  fn: (sql: SfsSqlSession) => Promise<T>,
): Promise<T> {
  return dataSource.transaction((manager) => {
    if (!manager.queryRunner) throw new Error('TypeORM transaction without a query runner');
    return fn(new SfsSqlSession(manager.queryRunner));
  });
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
