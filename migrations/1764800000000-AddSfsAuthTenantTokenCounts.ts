import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The counting triggers: the event, and the transition tables the function reads for it. */
const TRIGGERS = [
  ['INSERT', 'REFERENCING NEW TABLE AS sfs_new_rows'],
  ['UPDATE', 'REFERENCING OLD TABLE AS sfs_old_rows NEW TABLE AS sfs_new_rows'],
  ['DELETE', 'REFERENCING OLD TABLE AS sfs_old_rows'],
  ['TRUNCATE', ''],
] as const;

/**
 * Token counts per tenant and status, kept by the database itself, so the admin summary of a
 * tenant with 100,000 tokens reads a few rows instead of scanning them
 * (`src/sfs-auth/admin/token-read.queries.ts`):
 * - Triggers on `sfs_client_token` append one row to `sfs_tenant_token_count_delta` per tenant and
 *   status that a statement changed, with the signed change. Appending takes no lock another
 *   writer waits on, and a batch of rows costs one row per tenant and status, not one per token.
 *   Every writer is counted, including instances of the previous release during an upgrade.
 * - The counts worker folds the deltas into `sfs_tenant_token_count`
 *   (`src/sfs-auth/tenant-counts/tenant-counts.queries.ts`); a count is the sum of both tables,
 *   exact in any snapshot whether or not the fold has run.
 * - `ix_sfs_client_token_tenant_refresh` answers the summary's next refresh and overdue count
 *   from the tenant's due rows instead of all its active ones.
 * The backfill runs while the trigger's lock holds writers off, so a row is counted exactly once.
 */
export class AddSfsAuthTenantTokenCounts1764800000000 implements MigrationInterface {
  /** @inheritdoc */
  readonly name = 'AddSfsAuthTenantTokenCounts1764800000000';

  /** Creates the two tables, the triggers and the index, and counts the rows already there. */
  async up(q: QueryRunner): Promise<void> {
    // CREATE TRIGGER locks writers out until commit: the backfill must be in the same transaction.
    const own = !q.isTransactionActive;
    if (own) await q.startTransaction();
    try {
      await q.query(`
        CREATE TABLE "sfs_tenant_token_count" (
          "tenant_id" varchar(128) NOT NULL,
          "status" varchar(16) NOT NULL,
          "n" bigint NOT NULL,
          CONSTRAINT "pk_sfs_tenant_token_count" PRIMARY KEY ("tenant_id", "status")
        )`);
      await q.query(`
        CREATE TABLE "sfs_tenant_token_count_delta" (
          "seq" bigserial NOT NULL,
          "tenant_id" varchar(128) NOT NULL,
          "status" varchar(16) NOT NULL,
          "n" bigint NOT NULL,
          CONSTRAINT "pk_sfs_tenant_token_count_delta" PRIMARY KEY ("seq")
        )`);
      await q.query(`
        CREATE INDEX "ix_sfs_tenant_token_count_delta_tenant"
          ON "sfs_tenant_token_count_delta" ("tenant_id")`);
      await q.query(`
        CREATE FUNCTION "sfs_count_tenant_tokens"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM sfs_tenant_token_count_delta;
            DELETE FROM sfs_tenant_token_count;
          ELSIF TG_OP = 'INSERT' THEN
            INSERT INTO sfs_tenant_token_count_delta (tenant_id, status, n)
            SELECT tenant_id, status, count(*) FROM sfs_new_rows GROUP BY 1, 2;
          ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO sfs_tenant_token_count_delta (tenant_id, status, n)
            SELECT tenant_id, status, -count(*) FROM sfs_old_rows GROUP BY 1, 2;
          ELSE
            -- Fires on every UPDATE (a trigger with transition tables takes no column list);
            -- statements that change no status add nothing.
            INSERT INTO sfs_tenant_token_count_delta (tenant_id, status, n)
            SELECT tenant_id, status, sum(n) FROM (
              SELECT tenant_id, status, 1 AS n FROM sfs_new_rows
              UNION ALL
              SELECT tenant_id, status, -1 FROM sfs_old_rows) changed
            GROUP BY 1, 2 HAVING sum(n) <> 0;
          END IF;
          RETURN NULL;
        END $$`);
      for (const [event, referencing] of TRIGGERS) {
        await q.query(`
          CREATE TRIGGER "tg_sfs_client_token_count_${event.toLowerCase()}"
            AFTER ${event} ON "sfs_client_token" ${referencing}
            FOR EACH STATEMENT EXECUTE FUNCTION "sfs_count_tenant_tokens"()`);
      }
      await q.query(`
        INSERT INTO "sfs_tenant_token_count" ("tenant_id", "status", "n")
        SELECT "tenant_id", "status", count(*) FROM "sfs_client_token" GROUP BY 1, 2`);
      await q.query(`
        CREATE INDEX "ix_sfs_client_token_tenant_refresh" ON "sfs_client_token"
          ("tenant_id", "refresh_at") WHERE "status" = 'active'`);
      if (own) await q.commitTransaction();
    } catch (error) {
      if (own) await q.rollbackTransaction();
      throw error;
    }
  }

  /** Drops what `up` created. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_sfs_client_token_tenant_refresh"`);
    for (const [event] of TRIGGERS) {
      await q.query(
        `DROP TRIGGER "tg_sfs_client_token_count_${event.toLowerCase()}" ON "sfs_client_token"`,
      );
    }
    await q.query(`DROP FUNCTION "sfs_count_tenant_tokens"()`);
    await q.query(`DROP TABLE "sfs_tenant_token_count_delta"`);
    await q.query(`DROP TABLE "sfs_tenant_token_count"`);
  }
}
