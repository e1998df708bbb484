import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

const timestamptz = 'timestamp with time zone' as const;

/**
 * `sfs_token_key_lease`: who may mint a token key right now. A mint claims the lease (owner,
 * expiry, a new `fence` from `sfs_token_key_lease_fence_seq`) in a short transaction, calls SFS outside any transaction, and records its
 * token only if the fence it got still holds. Mirrors the migration (a test diffs it); the store
 * never reads or writes through it.
 */
@Entity({ name: 'sfs_token_key_lease' })
@Index('ix_sfs_token_key_lease_idle', ['updatedAt'], { where: `"lease_owner" IS NULL` })
export class SfsTokenKeyLeaseEntity {
  @PrimaryColumn({
    name: 'tenant_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_sfs_token_key_lease',
  })
  tenantId!: string;

  @PrimaryColumn({
    name: 'client_key',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_sfs_token_key_lease',
  })
  clientKey!: string;

  /** The subject id, or `''` for a tenant's service token of that client. */
  @PrimaryColumn({
    name: 'subject_key',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_sfs_token_key_lease',
  })
  subjectKey!: string;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_expires_at', type: timestamptz, nullable: true })
  leaseExpiresAt!: Date | null;

  /**
   * Renewed by every claim from one sequence (never reused, even after retention deleted the row): a
   * holder records its result only while the fence it got is current.
   */
  @Column({ type: 'bigint', default: 0 })
  fence!: string;

  @Column({ name: 'updated_at', type: timestamptz, default: () => 'now()' })
  updatedAt!: Date;
}
