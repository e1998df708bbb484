import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Envelope encryption: `sfs_tenant_key` holds one data key per tenant, only ever wrapped (by the
 * key ring or a host's KMS, see `src/sfs-auth/options/key-wrapper.ts`), with the id of the key that
 * wrapped it. Token material sealed under a data key carries the data key id (`dek:...`) in
 * `token_key_id`; the partial index finds the rows still sealed directly under a ring key (written
 * before this migration) without scanning the table, so rotation stays O(tenants) once they moved.
 */
export class AddSfsAuthTenantKeys1764600000000 implements MigrationInterface {
  /** @inheritdoc */
  readonly name = 'AddSfsAuthTenantKeys1764600000000';

  /** Creates `sfs_tenant_key` and the index of rows sealed under a ring key. */
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "sfs_tenant_key" (
        "tenant_id" varchar(128) NOT NULL,
        "data_key_id" varchar(32) NOT NULL,
        "wrapped_key" bytea NOT NULL,
        "wrapping_key_id" varchar(512) NOT NULL,
        "version" integer NOT NULL DEFAULT 0,
        "created_at" timestamp with time zone NOT NULL DEFAULT now(),
        "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
        CONSTRAINT "pk_sfs_tenant_key" PRIMARY KEY ("tenant_id")
      )`);
    await q.query(`
      CREATE INDEX "ix_sfs_client_token_ring_sealed" ON "sfs_client_token" ("id")
        WHERE "token_key_id" NOT LIKE 'dek:%'`);
  }

  /** Drops what `up` created. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_sfs_client_token_ring_sealed"`);
    await q.query(`DROP TABLE "sfs_tenant_key"`);
  }
}
