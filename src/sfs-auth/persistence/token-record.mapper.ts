import type {
  SfsRevocationWork,
  SfsSealedToken,
  SfsServableRecord,
  SfsTokenRecord,
  SfsTokenStatus,
} from '../model/token-record';

/** A `sfs_client_token` row as node-postgres returns it. */
export interface SfsTokenRow {
  id: string;
  tenant_id: string;
  client_key: string;
  subject_id: string | null;
  status: SfsTokenStatus;
  token_ciphertext: Buffer | null;
  token_key_id: string | null;
  fingerprint: string;
  issued_at: Date;
  expires_at: Date;
  refresh_at: Date;
  last_used_at: Date | null;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  version: number;
  revoked_at: Date | null;
  revoke_reason: string | null;
  replaced_by: string | null;
  session_started_at: Date;
  created_at: Date;
  updated_at: Date;
}

/** A claimed `sfs_token_revocation` row joined with its token's columns. */
export interface SfsRevocationWorkRow {
  id: string;
  token_id: string;
  tenant_id: string;
  client_key: string;
  subject_id: string | null;
  token_ciphertext: Buffer | null;
  token_key_id: string | null;
  token_expires_at: Date;
  attempts: number;
  version: number;
  reason: string | null;
  actor: string;
  requested_at: Date;
}

function sealedOf(ciphertext: Buffer | null, keyId: string | null): SfsSealedToken | null {
  return ciphertext && keyId ? { ciphertext, keyId } : null;
}

/** Row → domain record (snake_case columns to the port's shape). */
export function sfsTokenRecordFromRow(row: SfsTokenRow): SfsTokenRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    clientKey: row.client_key,
    subjectId: row.subject_id,
    status: row.status,
    sealed: sealedOf(row.token_ciphertext, row.token_key_id),
    fingerprint: row.fingerprint,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    refreshAt: row.refresh_at,
    lastUsedAt: row.last_used_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    version: row.version,
    revokedAt: row.revoked_at,
    revokeReason: row.revoke_reason,
    replacedBy: row.replaced_by,
    sessionStartedAt: row.session_started_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The columns of a serving read ({@link SfsServableRecord}). */
export type SfsServableRow = Pick<
  SfsTokenRow,
  'id' | 'tenant_id' | 'status' | 'token_ciphertext' | 'token_key_id' | 'issued_at' | 'expires_at'
>;

/** Serving read row → {@link SfsServableRecord}. */
export function sfsServableRecordFromRow(row: SfsServableRow): SfsServableRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    status: row.status,
    sealed: sealedOf(row.token_ciphertext, row.token_key_id),
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
  };
}

/** Joined outbox row → the revocation worker's unit of work. */
export function sfsRevocationWorkFromRow(row: SfsRevocationWorkRow): SfsRevocationWork {
  return {
    id: row.id,
    tokenId: row.token_id,
    tenantId: row.tenant_id,
    clientKey: row.client_key,
    subjectId: row.subject_id,
    sealed: sealedOf(row.token_ciphertext, row.token_key_id),
    tokenExpiresAt: row.token_expires_at,
    attempts: row.attempts,
    version: row.version,
    reason: row.reason,
    actor: row.actor,
    requestedAt: row.requested_at,
  };
}

/** Cuts free text to its column's width, so a long error message never fails a write. */
export function sfsClip(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  return value.length > max ? value.slice(0, max) : value;
}
