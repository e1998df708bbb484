import { Column, Entity, PrimaryColumn } from 'typeorm';

const timestamptz = 'timestamp with time zone' as const;

/**
 * `sfs_tenant_key`: one data key per tenant, stored only wrapped (see
 * `src/sfs-auth/crypto/tenant-data-keys.ts`). Mirrors the migration (a test diffs it); the module
 * reads and writes it through SQL only.
 */
@Entity({ name: 'sfs_tenant_key' })
export class SfsTenantKeyEntity {
  @PrimaryColumn({
    name: 'tenant_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_sfs_tenant_key',
  })
  tenantId!: string;

  /** Stored in `token_key_id` of every token sealed under this key. */
  @Column({ name: 'data_key_id', type: 'varchar', length: 32 })
  dataKeyId!: string;

  @Column({ name: 'wrapped_key', type: 'bytea' })
  wrappedKey!: Buffer;

  /** Id of the key that wrapped it (ring key id, KMS key id...). */
  @Column({ name: 'wrapping_key_id', type: 'varchar', length: 512 })
  wrappingKeyId!: string;

  @Column({ type: 'integer', default: 0 })
  version!: number;

  @Column({ name: 'created_at', type: timestamptz, default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: timestamptz, default: () => 'now()' })
  updatedAt!: Date;
}
