import { ApiProperty } from '../openapi.decorators';
import type { SfsTokenStatus } from '../../model/token-record';
import { SFS_TOKEN_STATUSES } from './admin-requests.dto';

const nullableDate = { type: String, format: 'date-time', nullable: true } as const;
const date = { type: String, format: 'date-time' } as const;
const nullableString = { type: String, nullable: true } as const;

/** A token record as the admin API shows it: never the token itself. */
export class SfsTokenRecordDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() clientKey!: string;
  @ApiProperty({ ...nullableString, description: 'null: the service token of the client' })
  subjectId!: string | null;
  @ApiProperty({ enum: SFS_TOKEN_STATUSES }) status!: SfsTokenStatus;
  @ApiProperty({ description: 'Short HMAC of the token, to match logs and support requests' })
  fingerprint!: string;
  @ApiProperty(date) issuedAt!: string;
  @ApiProperty(date) expiresAt!: string;
  @ApiProperty({ ...date, description: 'When the workers refresh it (jittered)' })
  refreshAt!: string;
  @ApiProperty(nullableDate) lastUsedAt!: string | null;
  @ApiProperty(nullableDate) revokedAt!: string | null;
  @ApiProperty(nullableString) revokeReason!: string | null;
  @ApiProperty({ description: 'Failed attempts of the current operation' }) attempts!: number;
  @ApiProperty(nullableString) lastError!: string | null;
}

/** One audit-trail entry. */
export class SfsTokenEventDto {
  @ApiProperty({ description: 'Opaque id (stable; says nothing of order or of other tenants)' })
  id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) tokenId!: string | null;
  @ApiProperty({ example: 'issued' }) type!: string;
  @ApiProperty({ example: 'admin:key:acme#1a2b3c4d' }) actor!: string;
  @ApiProperty(nullableString) reason!: string | null;
  @ApiProperty({ type: Object, nullable: true, description: 'Ids, codes and counts only' })
  detail!: Record<string, unknown> | null;
  @ApiProperty(date) at!: string;
}

/** A token record with its most recent events. */
export class SfsTokenDetailDto extends SfsTokenRecordDto {
  @ApiProperty({ type: [SfsTokenEventDto] }) events!: SfsTokenEventDto[];
}

/** A page of token records. */
export class SfsTokenListDto {
  @ApiProperty({ type: [SfsTokenRecordDto] }) items!: SfsTokenRecordDto[];
  @ApiProperty({ ...nullableString, description: 'null on the last page' })
  nextCursor!: string | null;
}

/** A page of audit-trail entries. */
export class SfsTokenEventListDto {
  @ApiProperty({ type: [SfsTokenEventDto] }) items!: SfsTokenEventDto[];
  @ApiProperty(nullableString) nextCursor!: string | null;
}

/** Counts of a tenant's tokens by status. */
export class SfsTokenCountsDto {
  @ApiProperty() active!: number;
  @ApiProperty() revoking!: number;
  @ApiProperty() revoked!: number;
  @ApiProperty() expired!: number;
  @ApiProperty() failed!: number;
}

/** A tenant's data key as the summary shows it: its version and age, never the key. */
export class SfsDataKeyDto {
  @ApiProperty({ description: 'Bumped each time the data key is wrapped again (rotation)' })
  version!: number;
  @ApiProperty(date) createdAt!: string;
}

/** `GET /summary`. */
/** A revocation given up during an offboarding. */
export class SfsOffboardingFailureDto {
  @ApiProperty({ format: 'uuid' }) tokenId!: string;
  @ApiProperty() error!: string;
}

/** A tenant's offboarding: progress, then the tombstone kept as proof. */
export class SfsTenantOffboardingDto {
  @ApiProperty() tenantId!: string;
  @ApiProperty({ enum: ['revoking', 'purging', 'offboarded'] })
  status!: 'revoking' | 'purging' | 'offboarded';
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'Who asked (the audit actor)' }) requestedBy!: string;
  @ApiProperty(date) requestedAt!: string;
  @ApiProperty(nullableDate) completedAt!: string | null;
  @ApiProperty({ description: 'Live tokens queued for revocation at SFS' })
  tokensToRevoke!: number;
  @ApiProperty({ description: 'Of those, confirmed revoked' }) revoked!: number;
  @ApiProperty({ description: 'Of those, still waiting for SFS' }) pendingRevocations!: number;
  @ApiProperty({ description: 'Of those, given up (see failures)' }) failedRevocations!: number;
  @ApiProperty({ description: 'Token rows deleted' }) purgedTokens!: number;
  @ApiProperty({ description: 'Audit events deleted' }) purgedEvents!: number;
  @ApiProperty({ type: [SfsOffboardingFailureDto] }) failures!: SfsOffboardingFailureDto[];
}

export class SfsTenantSummaryDto {
  @ApiProperty() tenantId!: string;
  @ApiProperty({ type: SfsTokenCountsDto }) counts!: SfsTokenCountsDto;
  @ApiProperty(nullableDate) nextRefreshAt!: string | null;
  @ApiProperty({ description: 'Active tokens past their refresh time' }) overdueRefreshes!: number;
  @ApiProperty({ description: 'Revocations SFS has not confirmed yet' })
  pendingRevocations!: number;
  @ApiProperty({ description: 'Revocations given up (retryable)' }) failedRevocations!: number;
  @ApiProperty(nullableDate) oldestPendingRevocationAt!: string | null;
  @ApiProperty({
    type: SfsDataKeyDto,
    nullable: true,
    description: "The tenant's data key (never the key): null before its first token",
  })
  dataKey!: SfsDataKeyDto | null;
  @ApiProperty({
    type: SfsTenantOffboardingDto,
    nullable: true,
    description: 'The offboarding of the tenant (progress, or its tombstone); null if never asked',
  })
  offboarding!: SfsTenantOffboardingDto | null;
}

/** `POST /tokens/revoke`. */
export class SfsRevokedCountDto {
  @ApiProperty({ description: 'Tokens revoked (0 in a dry run)' }) revoked!: number;
  @ApiProperty({ required: false, description: 'Dry run only: the tokens it would revoke' })
  matching?: number;
  @ApiProperty({ required: false }) dryRun?: boolean;
}

/** One row of the tenant's revocation outbox. */
export class SfsRevocationDto {
  @ApiProperty({ format: 'uuid' }) tokenId!: string;
  @ApiProperty() clientKey!: string;
  @ApiProperty(nullableString) subjectId!: string | null;
  @ApiProperty({ enum: ['pending', 'failed'], description: 'failed: given up, retryable' })
  status!: 'pending' | 'failed';
  @ApiProperty() attempts!: number;
  @ApiProperty(date) nextAttemptAt!: string;
  @ApiProperty({ ...nullableString, description: 'The last SFS error (code and status)' })
  lastError!: string | null;
  @ApiProperty(nullableString) reason!: string | null;
  @ApiProperty() actor!: string;
  @ApiProperty(date) requestedAt!: string;
}

/** `GET /revocations`: oldest request first. */
export class SfsRevocationListDto {
  @ApiProperty({ type: [SfsRevocationDto] }) items!: SfsRevocationDto[];
}

/** `POST /revocations/retry`. */
export class SfsRetriedCountDto {
  @ApiProperty({ description: 'Failed revocations queued again' }) retried!: number;
}

/** `GET /access`: what the caller may do in this tenant (the console shows only that). */
export class SfsAdminAccessDto {
  @ApiProperty() tenantId!: string;
  @ApiProperty({ description: 'The audit actor of the credentials' }) actor!: string;
  @ApiProperty({ description: 'false: read-only access' }) canAct!: boolean;
  @ApiProperty({ description: 'May offboard the tenant (a `*` key, not read-only)' })
  canOffboard!: boolean;
}

/** Every error of the admin API. */
export class SfsAdminErrorDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'INVALID_INPUT' }) code!: string;
  @ApiProperty({
    example: 'clientKey must be 1-128 characters of [A-Za-z0-9._:@-], not dots alone',
  })
  message!: string;
  @ApiProperty({ required: false, description: 'The invalid field, for 400' }) field?: string;
}
