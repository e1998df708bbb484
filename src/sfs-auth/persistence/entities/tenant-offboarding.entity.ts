import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

const timestamptz = 'timestamp with time zone' as const;

/**
 * `sfs_tenant_offboarding`: the tombstone of an offboarded tenant (and its progress until then).
 * Mirrors the migration (a test diffs it); the module reads and writes it through SQL only.
 */
@Entity({ name: 'sfs_tenant_offboarding' })
@Check('ck_sfs_tenant_offboarding_status', `"status" IN ('revoking', 'purging', 'offboarded')`)
export class SfsTenantOffboardingEntity {
  @PrimaryColumn({
    name: 'tenant_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_sfs_tenant_offboarding',
  })
  tenantId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: 'revoking' | 'purging' | 'offboarded';

  @Column({ type: 'varchar', length: 200 })
  reason!: string;

  /** Who asked (for the audit trail). */
  @Column({ type: 'varchar', length: 160 })
  actor!: string;

  @Column({ name: 'requested_at', type: timestamptz })
  requestedAt!: Date;

  /** Last time tokens were queued for revocation: the purge waits for the change feed after it. */
  @Column({ name: 'last_change_at', type: timestamptz })
  lastChangeAt!: Date;

  @Column({ name: 'completed_at', type: timestamptz, nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'tokens_to_revoke', type: 'integer', default: 0 })
  tokensToRevoke!: number;

  @Column({ name: 'tokens_revoked', type: 'integer', default: 0 })
  tokensRevoked!: number;

  @Column({ name: 'revocations_failed', type: 'integer', default: 0 })
  revocationsFailed!: number;

  @Column({ name: 'tokens_purged', type: 'integer', default: 0 })
  tokensPurged!: number;

  @Column({ name: 'events_purged', type: 'integer', default: 0 })
  eventsPurged!: number;

  /** Revocations given up: `[{ tokenId, error }]`. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  failures!: unknown;

  @Column({ name: 'updated_at', type: timestamptz, default: () => 'now()' })
  updatedAt!: Date;
}
