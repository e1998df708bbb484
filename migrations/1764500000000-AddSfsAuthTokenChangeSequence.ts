import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change sequence: one row per change that makes a token unservable (revocation, replacement,
 * expiry, failure), numbered in insertion order. Instances that cannot LISTEN (behind a transaction
 * pooler) poll it with `WHERE seq > $last`, an index range scan on the primary key; `at` lets the
 * retention purge drop old rows without scanning the table.
 */
export class AddSfsAuthTokenChangeSequence1764500000000 implements MigrationInterface {
  /** @inheritdoc */
  readonly name = 'AddSfsAuthTokenChangeSequence1764500000000';

  /** Creates `sfs_token_change` and its index. */
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "sfs_token_change" (
        "seq" bigserial NOT NULL,
        "tenant_id" varchar(128) NOT NULL,
        "token_id" uuid NOT NULL,
        "at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_sfs_token_change" PRIMARY KEY ("seq")
      )`);
    await q.query(`CREATE INDEX "ix_sfs_token_change_at" ON "sfs_token_change" ("at")`);
  }

  /** Drops what `up` created. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "sfs_token_change"`);
  }
}
