import type { DataSource } from 'typeorm';

/**
 * Counts the statements the app sends through `dataSource` (every `QueryRunner.query` call is one
 * round trip to the server) until the returned function is called, which stops counting and
 * returns the count.
 */
export function countQueries(dataSource: DataSource): () => number {
  const logger = dataSource.logger;
  const original = logger.logQuery.bind(logger);
  let count = 0;
  logger.logQuery = (...args) => {
    count++;
    return original(...args);
  };
  return () => {
    logger.logQuery = original;
    return count;
  };
}
