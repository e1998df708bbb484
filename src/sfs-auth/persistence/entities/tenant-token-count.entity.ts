import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * `sfs_tenant_token_count`: tokens per tenant and status, as of the last fold of the deltas (see
 * `migrations/1764800000000-AddSfsAuthTenantTokenCounts.ts`). Mirrors the migration (a test diffs
 * it); only the database's triggers and SQL write it.
 */
@Entity({ name: 'sfs_tenant_token_count' })
export class SfsTenantTokenCountEntity {
  @PrimaryColumn({
    name: 'tenant_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_sfs_tenant_token_count',
  })
  tenantId!: string;

  @PrimaryColumn({
    type: 'varchar',
    length: 16,
    primaryKeyConstraintName: 'pk_sfs_tenant_token_count',
  })
  status!: string;

  /** bigint: pg returns it as a string. */
  @Column({ type: 'bigint' })
  n!: string;
}

/** `sfs_tenant_token_count_delta`: signed changes to the counts, not yet folded into them. */
@Entity({ name: 'sfs_tenant_token_count_delta' })
@Index('ix_sfs_tenant_token_count_delta_tenant', ['tenantId'])
export class SfsTenantTokenCountDeltaEntity {
  @PrimaryGeneratedColumn('increment', {
    type: 'bigint',
    primaryKeyConstraintName: 'pk_sfs_tenant_token_count_delta',
  })
  seq!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 128 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'bigint' })
  n!: string;
}
