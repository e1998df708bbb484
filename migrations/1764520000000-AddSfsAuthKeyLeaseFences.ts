import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Key-lease fences from one sequence, so retention may delete idle lease rows: a key whose row is
 * deleted and claimed again never gets a fence it had before, and a holder whose lease was taken
 * over can never record with a reused fence (see `src/sfs-auth/serving/key-lease.queries.ts`).
 * Also indexes the idle rows retention looks for.
 */
export class AddSfsAuthKeyLeaseFences1764520000000 implements MigrationInterface {
  /** @inheritdoc */
  readonly name = 'AddSfsAuthKeyLeaseFences1764520000000';

  /** Creates the sequence above every fence handed out so far, and the idle-row index. */
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE "sfs_token_key_lease_fence_seq" AS bigint`);
    await q.query(`
      SELECT setval('sfs_token_key_lease_fence_seq',
                    COALESCE((SELECT max("fence") FROM "sfs_token_key_lease"), 0) + 1, false)`);
    await q.query(`
      CREATE INDEX "ix_sfs_token_key_lease_idle" ON "sfs_token_key_lease" ("updated_at")
        WHERE "lease_owner" IS NULL`);
  }

  /** Drops what `up` created (fences already handed out stay in the rows). */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_sfs_token_key_lease_idle"`);
    await q.query(`DROP SEQUENCE "sfs_token_key_lease_fence_seq"`);
  }
}
