import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { SfsTokenStatus } from '../../model/token-record';

const timestamptz = 'timestamp with time zone' as const;

/**
 * `sfs_client_token`: one row per minted token. Mirrors the migration exactly (a test diffs it);
 * the store never reads or writes through it, it exists so hosts' TypeORM metadata knows the table.
 */
@Entity({ name: 'sfs_client_token' })
@Check(
  'ck_sfs_client_token_status',
  `"status" IN ('active', 'revoking', 'revoked', 'expired', 'failed')`,
)
@Check('ck_sfs_client_token_sealed', `("token_ciphertext" IS NULL) = ("token_key_id" IS NULL)`)
// TypeORM cannot express the COALESCE(subject_id, '') expression of this unique partial index;
// `synchronize: false` declares it so schema diffs leave the migration's definition alone.
@Index('ux_sfs_client_token_active_key', { synchronize: false })
@Index('ix_sfs_client_token_refresh_due', ['refreshAt'], { where: `"status" = 'active'` })
@Index('ix_sfs_client_token_tenant_refresh', ['tenantId', 'refreshAt'], {
  where: `"status" = 'active'`,
})
// Declared ascending here; the migration orders created_at and id DESC (TypeORM has no syntax).
@Index('ix_sfs_client_token_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('ix_sfs_client_token_tenant_subject', ['tenantId', 'subjectId', 'clientKey'])
@Index('ix_sfs_client_token_replaced_by', ['replacedBy'], { where: `"replaced_by" IS NOT NULL` })
@Index('ix_sfs_client_token_ring_sealed', ['id'], { where: `"token_key_id" NOT LIKE 'dek:%'` })
@Index('ix_sfs_client_token_dead_created', ['createdAt'], {
  where: `"status" IN ('revoked', 'expired', 'failed')`,
})
export class SfsClientTokenEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_sfs_client_token' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 128 })
  tenantId!: string;

  @Column({ name: 'client_key', type: 'varchar', length: 128 })
  clientKey!: string;

  @Column({ name: 'subject_id', type: 'varchar', length: 128, nullable: true })
  subjectId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: SfsTokenStatus;

  @Column({ name: 'token_ciphertext', type: 'bytea', nullable: true })
  tokenCiphertext!: Buffer | null;

  @Column({ name: 'token_key_id', type: 'varchar', length: 32, nullable: true })
  tokenKeyId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  @Column({ name: 'issued_at', type: timestamptz })
  issuedAt!: Date;

  @Column({ name: 'expires_at', type: timestamptz })
  expiresAt!: Date;

  @Column({ name: 'refresh_at', type: timestamptz })
  refreshAt!: Date;

  @Column({ name: 'last_used_at', type: timestamptz, nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: timestamptz, nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_expires_at', type: timestamptz, nullable: true })
  leaseExpiresAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  version!: number;

  @Column({ name: 'revoked_at', type: timestamptz, nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoke_reason', type: 'varchar', length: 200, nullable: true })
  revokeReason!: string | null;

  @Column({ name: 'replaced_by', type: 'uuid', nullable: true })
  replacedBy!: string | null;

  @ManyToOne(() => SfsClientTokenEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'replaced_by', foreignKeyConstraintName: 'fk_sfs_client_token_replaced_by' })
  replacement?: SfsClientTokenEntity | null;

  @Column({ name: 'session_started_at', type: timestamptz })
  sessionStartedAt!: Date;

  @Column({ name: 'created_at', type: timestamptz, default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: timestamptz, default: () => 'now()' })
  updatedAt!: Date;
}
