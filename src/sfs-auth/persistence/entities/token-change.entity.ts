import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * `sfs_token_change`: the change sequence polled by instances that cannot LISTEN. One row per
 * change that makes a token unservable, written in the same transaction as the change itself.
 */
@Entity({ name: 'sfs_token_change' })
@Index('ix_sfs_token_change_at', ['at'])
export class SfsTokenChangeEntity {
  /** bigserial: pg returns it as a string. */
  @PrimaryGeneratedColumn('increment', {
    type: 'bigint',
    primaryKeyConstraintName: 'pk_sfs_token_change',
  })
  seq!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 128 })
  tenantId!: string;

  @Column({ name: 'token_id', type: 'uuid' })
  tokenId!: string;

  @Column({ type: 'timestamp with time zone', default: () => 'now()' })
  at!: Date;
}
