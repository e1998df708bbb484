import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the retention purge needs so that it never scans whole tables: dead token rows in
 * creation order (the order the purge claims them in), and audit events by time.
 */
export class AddSfsAuthRetentionIndexes1764400000000 implements MigrationInterface {
  /** @inheritdoc */
  readonly name = 'AddSfsAuthRetentionIndexes1764400000000';

  /** Creates the two indexes. */
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX "ix_sfs_client_token_dead_created" ON "sfs_client_token" ("created_at")
        WHERE "status" IN ('revoked', 'expired', 'failed')`);
    await q.query(`CREATE INDEX "ix_sfs_token_event_at" ON "sfs_token_event" ("at")`);
  }

  /** Drops what `up` created. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_sfs_token_event_at"`);
    await q.query(`DROP INDEX "ix_sfs_client_token_dead_created"`);
  }
}
