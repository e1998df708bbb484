import { sfsFingerprintDisplay } from '../crypto/token-cipher';
import type { SfsRevocationEntry, SfsTenantTokenSummary } from './token-read.types';
import type { SfsTenantOffboardedEvent } from '../events/sfs-auth-events';
import type { SfsTokenEvent, SfsTokenRecord } from '../model/token-record';
import type {
  SfsRevocationDto,
  SfsTenantOffboardingDto,
  SfsTenantSummaryDto,
  SfsTokenEventDto,
  SfsTokenRecordDto,
} from './dto/admin-responses.dto';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** A record as the admin API shows it: an allow-list of fields, so material can never slip in. */
export function sfsTokenRecordResponse(record: SfsTokenRecord): SfsTokenRecordDto {
  return {
    id: record.id,
    tenantId: record.tenantId,
    clientKey: record.clientKey,
    subjectId: record.subjectId,
    status: record.status,
    fingerprint: sfsFingerprintDisplay(record.fingerprint),
    issuedAt: record.issuedAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    refreshAt: record.refreshAt.toISOString(),
    lastUsedAt: iso(record.lastUsedAt),
    revokedAt: iso(record.revokedAt),
    revokeReason: record.revokeReason,
    attempts: record.attempts,
    lastError: record.lastError,
  };
}

/** An outbox row as the admin API shows it. */
export function sfsRevocationResponse(entry: SfsRevocationEntry): SfsRevocationDto {
  return {
    tokenId: entry.tokenId,
    clientKey: entry.clientKey,
    subjectId: entry.subjectId,
    status: entry.status,
    attempts: entry.attempts,
    nextAttemptAt: entry.nextAttemptAt.toISOString(),
    lastError: entry.lastError,
    reason: entry.reason,
    actor: entry.actor,
    requestedAt: entry.requestedAt.toISOString(),
  };
}

/** An audit-trail entry as the admin API shows it, under the id `publicId` gives it. */
export function sfsTokenEventResponse(event: SfsTokenEvent, publicId: string): SfsTokenEventDto {
  return {
    id: publicId,
    tenantId: event.tenantId,
    tokenId: event.tokenId,
    type: event.type,
    actor: event.actor,
    reason: event.reason ?? null,
    detail: event.detail ?? null,
    at: event.at.toISOString(),
  };
}

/** The summary of one tenant. */
export function sfsTenantSummaryResponse(
  tenantId: string,
  summary: SfsTenantTokenSummary,
  offboarding: SfsTenantOffboardedEvent | null = null,
): SfsTenantSummaryDto {
  return {
    tenantId,
    counts: { ...summary.counts },
    nextRefreshAt: iso(summary.nextRefreshAt),
    overdueRefreshes: summary.overdueRefreshes,
    pendingRevocations: summary.pendingRevocations,
    failedRevocations: summary.failedRevocations,
    oldestPendingRevocationAt: iso(summary.oldestPendingRevocationAt),
    dataKey: summary.dataKey
      ? { version: summary.dataKey.version, createdAt: summary.dataKey.createdAt.toISOString() }
      : null,
    offboarding: offboarding ? sfsTenantOffboardingResponse(offboarding) : null,
  };
}

/** A tenant's offboarding as the admin API shows it. */
export function sfsTenantOffboardingResponse(
  state: SfsTenantOffboardedEvent,
): SfsTenantOffboardingDto {
  return {
    tenantId: state.tenantId,
    status: state.status,
    reason: state.reason,
    requestedBy: state.requestedBy,
    requestedAt: state.requestedAt.toISOString(),
    completedAt: iso(state.completedAt),
    tokensToRevoke: state.tokensToRevoke,
    revoked: state.revoked,
    pendingRevocations: state.pendingRevocations,
    failedRevocations: state.failedRevocations,
    purgedTokens: state.purgedTokens,
    purgedEvents: state.purgedEvents,
    failures: state.failures.map((f) => ({ tokenId: f.tokenId, error: f.error })),
  };
}
