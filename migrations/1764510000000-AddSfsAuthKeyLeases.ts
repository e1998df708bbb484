import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sfs_token_key_lease`: one row per token key (tenant, client, subject; `subject_key` is `''`
 * for a tenant's service token). A mint claims the key's lease in a short transaction, calls SFS
 * with no transaction open, and records the new token only while its `fence` still holds (see
 * `src/sfs-auth/serving/token-minter.ts`). Replaces the advisory lock held across the SFS call.
 */
export class AddSfsAuthKeyLeases1764510000000 implements MigrationInterface {
  /** @inheritdoc */
  readonly name = 'AddSfsAuthKeyLeases1764510000000';

  /** Creates the lease table. */
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "sfs_token_key_lease" (
        "tenant_id" varchar(128) NOT NULL,
        "client_key" varchar(128) NOT NULL,
        "subject_key" varchar(128) NOT NULL,
        "lease_owner" varchar(64),
        "lease_expires_at" timestamp with time zone,
        "fence" bigint NOT NULL DEFAULT 0,
        "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
        CONSTRAINT "pk_sfs_token_key_lease" PRIMARY KEY ("tenant_id", "client_key", "subject_key")
      )`);
  }

  /** Drops what `up` created. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "sfs_token_key_lease"`);
  }
}
