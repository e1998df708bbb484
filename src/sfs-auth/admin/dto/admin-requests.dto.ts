import { ApiProperty, ApiPropertyOptional } from '../openapi.decorators';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { SFS_IDENTIFIER_PATTERN } from '../../model/identifiers';
import { SFS_ADMIN_MAX_CURSOR_LENGTH } from '../admin-cursor.codec';
import type { SfsTokenStatus } from '../../model/token-record';
import { IsSfsIdentifier, OptionalSfsIdentifier, OptionalSfsReason } from './admin-validators';

/** The audit reason of an admin action given none. */
export const SFS_ADMIN_REASONS = {
  revoke: 'revoked by a tenant admin',
  bulkRevoke: 'bulk revoke by a tenant admin',
  offboard: 'offboarded by an admin',
} as const;

/** Every status a token record can have. */
export const SFS_TOKEN_STATUSES: readonly SfsTokenStatus[] = [
  'active',
  'revoking',
  'revoked',
  'expired',
  'failed',
];

const IDENTIFIER_EXAMPLE = { pattern: SFS_IDENTIFIER_PATTERN.source, minLength: 1, maxLength: 128 };

/** Route parameters of every admin route. */
export class SfsTenantParamsDto {
  @ApiProperty({ ...IDENTIFIER_EXAMPLE, example: 'acme' })
  @IsSfsIdentifier()
  tenantId!: string;
}

/** Route parameters of the routes about one token. */
export class SfsTokenParamsDto extends SfsTenantParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'tokenId must be a UUID' })
  tokenId!: string;
}

/** Page size and cursor of every list. */
export class SfsPageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 100' })
  @Min(1, { message: 'limit must be an integer from 1 to 100' })
  @Max(100, { message: 'limit must be an integer from 1 to 100' })
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @Length(1, SFS_ADMIN_MAX_CURSOR_LENGTH, {
    message: 'cursor is invalid or was issued for another query',
  })
  cursor?: string;
}

/** Filters of `GET /tokens`. */
export class SfsListTokensQueryDto extends SfsPageQueryDto {
  @ApiPropertyOptional({ enum: SFS_TOKEN_STATUSES })
  @IsOptional()
  @IsIn(SFS_TOKEN_STATUSES, { message: `status must be one of ${SFS_TOKEN_STATUSES.join(', ')}` })
  status?: SfsTokenStatus;

  @OptionalSfsIdentifier()
  clientKey?: string;

  @OptionalSfsIdentifier()
  subjectId?: string;
}

/** Body of `POST /tokens`. */
export class SfsMintTokenBodyDto {
  @ApiProperty({ ...IDENTIFIER_EXAMPLE, example: 'client-1' })
  @IsSfsIdentifier()
  clientKey!: string;

  @OptionalSfsIdentifier('Omit for the service token.')
  subjectId?: string;

  @OptionalSfsReason()
  reason?: string;
}

/** Body of `POST /tokens/:tokenId/refresh` (optional). */
export class SfsRefreshTokenBodyDto {
  @OptionalSfsReason()
  reason?: string;
}

/** Body of `POST /tokens/revoke`: every live token matching all given fields (none: all). */
export class SfsBulkRevokeBodyDto {
  @OptionalSfsIdentifier()
  clientKey?: string;

  @OptionalSfsIdentifier()
  subjectId?: string;

  @OptionalSfsReason(SFS_ADMIN_REASONS.bulkRevoke)
  reason?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Count the tokens it would revoke (`matching`), and revoke none',
  })
  @IsOptional()
  @IsBoolean({ message: 'dryRun must be a boolean' })
  dryRun?: boolean;
}

/** Body of `DELETE /sfs/admin/tenants/:tenantId` (optional). */
export class SfsOffboardTenantBodyDto {
  @OptionalSfsReason(SFS_ADMIN_REASONS.offboard)
  reason?: string;
}

/** Query of `GET /revocations`. */
export class SfsListRevocationsQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'failed'], description: 'None: both' })
  @IsOptional()
  @IsIn(['pending', 'failed'], { message: 'status must be one of pending, failed' })
  status?: 'pending' | 'failed';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 100' })
  @Min(1, { message: 'limit must be an integer from 1 to 100' })
  @Max(100, { message: 'limit must be an integer from 1 to 100' })
  limit?: number;
}

/** Body of `POST /revocations/retry` (optional): one token's failed revocation, or all of them. */
export class SfsRetryRevocationsBodyDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Omit to retry every failed revocation' })
  @IsOptional()
  @IsUUID('all', { message: 'tokenId must be a UUID' })
  tokenId?: string;

  @OptionalSfsReason()
  reason?: string;
}

/** Body of `POST /tokens/:tokenId/revoke` (optional). */
export class SfsRevokeTokenBodyDto {
  @OptionalSfsReason(SFS_ADMIN_REASONS.revoke)
  reason?: string;
}
