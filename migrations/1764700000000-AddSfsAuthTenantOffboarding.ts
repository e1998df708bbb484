import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sfs_tenant_offboarding`: one row per tenant being, or having been, offboarded. While its status
 * is `revoking` or `purging` the tenant is not served and mints for it are refused; once
 * `offboarded`, it is the one row of the tenant left in the module's tables: the proof of what was
 * done (who, when, why, counts revoked and purged, and the revocations given up, by token id).
 */
export class AddSfsAuthTenantOffboarding1764700000000 implements MigrationInterface {
  /** @inheritdoc */
  readonly name = 'AddSfsAuthTenantOffboarding1764700000000';

  /** Creates `sfs_tenant_offboarding`. */
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "sfs_tenant_offboarding" (
        "tenant_id" varchar(128) NOT NULL,
        "status" varchar(16) NOT NULL,
        "reason" varchar(200) NOT NULL,
        "actor" varchar(160) NOT NULL,
        "requested_at" timestamp with time zone NOT NULL,
        "last_change_at" timestamp with time zone NOT NULL,
        "completed_at" timestamp with time zone,
        "tokens_to_revoke" integer NOT NULL DEFAULT 0,
        "tokens_revoked" integer NOT NULL DEFAULT 0,
        "revocations_failed" integer NOT NULL DEFAULT 0,
        "tokens_purged" integer NOT NULL DEFAULT 0,
        "events_purged" integer NOT NULL DEFAULT 0,
        "failures" jsonb NOT NULL DEFAULT '[]',
        "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
        CONSTRAINT "pk_sfs_tenant_offboarding" PRIMARY KEY ("tenant_id"),
        CONSTRAINT "ck_sfs_tenant_offboarding_status"
          CHECK ("status" IN ('revoking', 'purging', 'offboarded'))
      )`);
  }

  /** Drops what `up` created. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "sfs_tenant_offboarding"`);
  }
}
