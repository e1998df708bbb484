import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import type { SfsRevocationStatus } from '../../model/token-record';
import { SfsClientTokenEntity } from './client-token.entity';

const timestamptz = 'timestamp with time zone' as const;

/** `sfs_token_revocation`: the revocation outbox (rows SFS has not confirmed yet). */
@Entity({ name: 'sfs_token_revocation' })
@Unique('uq_sfs_token_revocation_token', ['tokenId'])
@Check('ck_sfs_token_revocation_status', `"status" IN ('pending', 'failed')`)
@Index('ix_sfs_token_revocation_due', ['nextAttemptAt'], { where: `"status" = 'pending'` })
@Index('ix_sfs_token_revocation_tenant_status', ['tenantId', 'status'])
export class SfsTokenRevocationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_sfs_token_revocation' })
  id!: string;

  @Column({ name: 'token_id', type: 'uuid' })
  tokenId!: string;

  @ManyToOne(() => SfsClientTokenEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'token_id', foreignKeyConstraintName: 'fk_sfs_token_revocation_token' })
  token?: SfsClientTokenEntity;

  @Column({ name: 'tenant_id', type: 'varchar', length: 128 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: SfsRevocationStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: timestamptz })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_expires_at', type: timestamptz, nullable: true })
  leaseExpiresAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  version!: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  @Column({ type: 'varchar', length: 160 })
  actor!: string;

  @Column({ name: 'requested_at', type: timestamptz })
  requestedAt!: Date;

  @Column({ name: 'created_at', type: timestamptz, default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: timestamptz, default: () => 'now()' })
  updatedAt!: Date;
}
