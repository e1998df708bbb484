import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * `sfs_token_event`: the append-only audit trail. `token_id` has no foreign key on purpose, so
 * purging tokens keeps their history.
 */
@Entity({ name: 'sfs_token_event' })
// Both indexes are `id DESC` in the migration (newest first); TypeORM has no syntax for the order.
@Index('ix_sfs_token_event_tenant', ['tenantId', 'id'])
@Index('ix_sfs_token_event_token', ['tokenId', 'id'])
@Index('ix_sfs_token_event_at', ['at'])
export class SfsTokenEventEntity {
  /** bigserial: pg returns it as a string. */
  @PrimaryGeneratedColumn('increment', {
    type: 'bigint',
    primaryKeyConstraintName: 'pk_sfs_token_event',
  })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 128 })
  tenantId!: string;

  @Column({ name: 'token_id', type: 'uuid', nullable: true })
  tokenId!: string | null;

  @Column({ type: 'varchar', length: 32 })
  type!: string;

  @Column({ type: 'varchar', length: 160 })
  actor!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;

  @Column({ type: 'timestamp with time zone' })
  at!: Date;
}
