import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The function's argument types, in order: the arrays `sfsRecordMints` passes. */
export const SFS_RECORD_MINTS_ARGUMENTS = [
  'uuid[]',
  'varchar[]',
  'varchar[]',
  'varchar[]',
  'varchar[]',
  'bytea[]',
  'varchar[]',
  'varchar[]',
  'timestamptz[]',
  'timestamptz[]',
  'timestamptz[]',
  'timestamptz[]',
  'varchar[]',
  'varchar[]',
  'varchar[]',
  'varchar[]',
  'bigint[]',
  'varchar[]',
  'uuid[]',
  'int[]',
  'varchar[]',
  'uuid[]',
  'varchar[]',
  'varchar[]',
  'varchar[]',
  'jsonb[]',
  'timestamptz[]',
] as const;

/**
 * The recording of refreshed and minted tokens (`src/sfs-auth/serving/key-lease.queries.ts`,
 * `SFS_RECORD_MINTS`) as a database function. A statement sent by node-postgres is planned anew
 * each time; this one, with its eleven steps, took longer to plan than to run (0.32 of 0.72 ms
 * of PostgreSQL time per refresh in `npm run bench refresh`). PL/pgSQL keeps the plan of the
 * statements it runs for the life of the server connection, and that holds behind a
 * transaction pooler too: it is the server's own cache, no state of the client's session.
 *
 * The body is a copy of the statement as it was when this migration was written, as a migration
 * must be: a change to `SFS_RECORD_MINTS` needs a new migration replacing the function
 * (`test/integration/persistence/record-mints-function.spec.ts` fails until then). Instances of
 * the previous release never call it, so the function is safe to add while they run.
 */
export class AddSfsAuthRecordMintsFunction1764900000000 implements MigrationInterface {
  /** @inheritdoc */
  readonly name = 'AddSfsAuthRecordMintsFunction1764900000000';

  /** Creates `sfs_record_mints`. */
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "sfs_record_mints"(${SFS_RECORD_MINTS_ARGUMENTS.join(', ')})
      RETURNS TABLE ("stored_rows" int[], "notified_count" int) LANGUAGE plpgsql AS $fn$
      BEGIN
        RETURN QUERY
  WITH input AS MATERIALIZED (
    SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[],
      $6::bytea[], $7::varchar[], $8::varchar[], $9::timestamptz[], $10::timestamptz[],
      $11::timestamptz[], $12::timestamptz[], $13::varchar[], $14::varchar[], $15::varchar[],
      $16::varchar[], $17::bigint[], $18::varchar[], $19::uuid[])
      WITH ORDINALITY AS i (id, tenant_id, client_key, subject_id, status,
  token_ciphertext, token_key_id, fingerprint, issued_at, expires_at, refresh_at,
  session_started_at, revoke_reason, lease_tenant, lease_client,
        lease_subject, fence, lease_owner, retire_id, n)
  ), leases AS (
    SELECT l.tenant_id, l.client_key, l.subject_key FROM sfs_token_key_lease l
    JOIN input i ON l.tenant_id = i.lease_tenant AND l.client_key = i.lease_client
      AND l.subject_key = i.lease_subject
    ORDER BY l.tenant_id, l.client_key, l.subject_key
    FOR UPDATE OF l
  ), released AS (
    UPDATE sfs_token_key_lease AS l
    SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    FROM input i JOIN leases k ON k.tenant_id = i.lease_tenant AND k.client_key = i.lease_client
      AND k.subject_key = i.lease_subject
    WHERE l.tenant_id = k.tenant_id AND l.client_key = k.client_key
      AND l.subject_key = k.subject_key AND l.fence = i.fence AND l.lease_owner = i.lease_owner
    RETURNING i.n
  ), replaced AS (
    SELECT t.id FROM sfs_client_token t JOIN input i ON t.id = i.retire_id
    WHERE i.n IN (SELECT n FROM released)
    ORDER BY t.id
    FOR UPDATE OF t
  ), retired AS (
  UPDATE sfs_client_token AS t
  SET status = CASE WHEN t.status = 'active' THEN 'expired' ELSE t.status END, replaced_by = i.id,
    lease_owner = NULL, lease_expires_at = NULL, version = version + 1, updated_at = now()
  FROM input i JOIN replaced p ON p.id = i.retire_id
  WHERE t.id = i.retire_id AND t.status IN ('active', 'expired', 'failed')
    RETURNING i.n, t.tenant_id, t.id AS token_id
  ), inserted AS (
    INSERT INTO sfs_client_token (id, tenant_id, client_key, subject_id, status,
  token_ciphertext, token_key_id, fingerprint, issued_at, expires_at, refresh_at,
  session_started_at, revoke_reason)
    SELECT id, tenant_id, client_key, subject_id, status,
  token_ciphertext, token_key_id, fingerprint, issued_at, expires_at, refresh_at,
  session_started_at, revoke_reason FROM input i
    WHERE i.n IN (SELECT n FROM released)
      AND (i.retire_id IS NULL OR i.n IN (SELECT n FROM retired))
    RETURNING id
  ), stored AS (
    SELECT i.n FROM input i JOIN inserted s ON s.id = i.id
  ), logged AS (
  INSERT INTO sfs_token_event (tenant_id, token_id, type, actor, reason, detail, at)
  SELECT tenant_id, token_id, type, actor, reason, detail, at FROM unnest($20::int[], $21::varchar[], $22::uuid[], $23::varchar[], $24::varchar[],
    $25::varchar[], $26::jsonb[], $27::timestamptz[]) AS e (n, tenant_id, token_id, type, actor, reason, detail, at)
  WHERE e.n IN (SELECT n FROM stored)
  ), changed AS (
    INSERT INTO sfs_token_change (tenant_id, token_id)
    SELECT tenant_id, token_id FROM retired WHERE n IN (SELECT n FROM stored)
    RETURNING tenant_id, token_id
  ), notified AS (
    SELECT pg_notify('sfs_auth_token',
                   json_build_object('tenantId', changed.tenant_id, 'tokenId', changed.token_id)::text)
  FROM changed
  )
  SELECT (SELECT coalesce(array_agg(n::int), '{}') FROM stored) AS stored,
    (SELECT count(*) FROM notified)::int AS notified;
      END $fn$`);
  }

  /** Drops it. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION "sfs_record_mints"(${SFS_RECORD_MINTS_ARGUMENTS.join(', ')})`);
  }
}
