import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates the first three tables of the module: tokens, their audit events and the revocation
 * outbox. Raw SQL, so the schema is exactly what is written here; `gen_random_uuid()` is built into PostgreSQL 13+, no extension needed.
 */
export class CreateSfsAuthTables1764300000000 implements MigrationInterface {
  /** @inheritdoc */
  readonly name = 'CreateSfsAuthTables1764300000000';

  /** Creates the tables, constraints and indexes. */
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "sfs_client_token" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" character varying(128) NOT NULL,
        "client_key" character varying(128) NOT NULL,
        "subject_id" character varying(128),
        "status" character varying(16) NOT NULL,
        "token_ciphertext" bytea,
        "token_key_id" character varying(32),
        "fingerprint" character varying(64) NOT NULL,
        "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "refresh_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" TIMESTAMP WITH TIME ZONE,
        "last_error" character varying(500),
        "lease_owner" character varying(64),
        "lease_expires_at" TIMESTAMP WITH TIME ZONE,
        "version" integer NOT NULL DEFAULT 0,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "revoke_reason" character varying(200),
        "replaced_by" uuid,
        "session_started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_sfs_client_token" PRIMARY KEY ("id"),
        CONSTRAINT "ck_sfs_client_token_status"
          CHECK ("status" IN ('active', 'revoking', 'revoked', 'expired', 'failed')),
        CONSTRAINT "ck_sfs_client_token_sealed"
          CHECK (("token_ciphertext" IS NULL) = ("token_key_id" IS NULL)),
        CONSTRAINT "fk_sfs_client_token_replaced_by" FOREIGN KEY ("replaced_by")
          REFERENCES "sfs_client_token" ("id") ON DELETE SET NULL
      )`);
    // One active token per key; COALESCE folds the shared (NULL subject) token into the same rule.
    await q.query(`
      CREATE UNIQUE INDEX "ux_sfs_client_token_active_key" ON "sfs_client_token"
        ("tenant_id", "client_key", (COALESCE("subject_id", ''))) WHERE "status" = 'active'`);
    await q.query(`
      CREATE INDEX "ix_sfs_client_token_refresh_due" ON "sfs_client_token" ("refresh_at")
        WHERE "status" = 'active'`);
    await q.query(`
      CREATE INDEX "ix_sfs_client_token_tenant_created" ON "sfs_client_token"
        ("tenant_id", "created_at" DESC, "id" DESC)`);
    await q.query(`
      CREATE INDEX "ix_sfs_client_token_tenant_subject" ON "sfs_client_token"
        ("tenant_id", "subject_id", "client_key")`);
    // Lets purges delete a replacement without scanning the table for rows pointing at it.
    await q.query(`
      CREATE INDEX "ix_sfs_client_token_replaced_by" ON "sfs_client_token" ("replaced_by")
        WHERE "replaced_by" IS NOT NULL`);

    await q.query(`
      CREATE TABLE "sfs_token_revocation" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "token_id" uuid NOT NULL,
        "tenant_id" character varying(128) NOT NULL,
        "status" character varying(16) NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_error" character varying(500),
        "lease_owner" character varying(64),
        "lease_expires_at" TIMESTAMP WITH TIME ZONE,
        "version" integer NOT NULL DEFAULT 0,
        "reason" character varying(200),
        "actor" character varying(160) NOT NULL,
        "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_sfs_token_revocation" PRIMARY KEY ("id"),
        CONSTRAINT "uq_sfs_token_revocation_token" UNIQUE ("token_id"),
        CONSTRAINT "ck_sfs_token_revocation_status" CHECK ("status" IN ('pending', 'failed')),
        CONSTRAINT "fk_sfs_token_revocation_token" FOREIGN KEY ("token_id")
          REFERENCES "sfs_client_token" ("id") ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE INDEX "ix_sfs_token_revocation_due" ON "sfs_token_revocation" ("next_attempt_at")
        WHERE "status" = 'pending'`);
    await q.query(`
      CREATE INDEX "ix_sfs_token_revocation_tenant_status" ON "sfs_token_revocation"
        ("tenant_id", "status")`);

    await q.query(`
      CREATE TABLE "sfs_token_event" (
        "id" BIGSERIAL NOT NULL,
        "tenant_id" character varying(128) NOT NULL,
        "token_id" uuid,
        "type" character varying(32) NOT NULL,
        "actor" character varying(160) NOT NULL,
        "reason" character varying(200),
        "detail" jsonb,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "pk_sfs_token_event" PRIMARY KEY ("id")
      )`);
    await q.query(`
      CREATE INDEX "ix_sfs_token_event_tenant" ON "sfs_token_event" ("tenant_id", "id" DESC)`);
    await q.query(`
      CREATE INDEX "ix_sfs_token_event_token" ON "sfs_token_event" ("token_id", "id" DESC)`);
  }

  /** Drops everything `up` created (indexes and constraints go with their tables). */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "sfs_token_event"`);
    await q.query(`DROP TABLE "sfs_token_revocation"`);
    await q.query(`DROP TABLE "sfs_client_token"`);
  }
}
