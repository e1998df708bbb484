import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '../openapi.decorators';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { SFS_IDENTIFIER_PATTERN, SFS_IDENTIFIER_RULE } from '../../model/identifiers';

/**
 * `tenantId`, `clientKey`, `subjectId`: a string of 1–128 `[A-Za-z0-9._:@-]`.
 *
 * @group Admin API
 * @publicApi
 */
export function IsSfsIdentifier(): PropertyDecorator {
  return applyDecorators(
    IsString({ message: '$property must be a string' }),
    Matches(SFS_IDENTIFIER_PATTERN, { message: `$property must be ${SFS_IDENTIFIER_RULE}` }),
  );
}

/** An optional identifier field, documented in OpenAPI. */
export function OptionalSfsIdentifier(description?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      pattern: SFS_IDENTIFIER_PATTERN.source,
      minLength: 1,
      maxLength: 128,
      description,
    }),
    IsOptional(),
    IsSfsIdentifier(),
  );
}

/** An optional audit reason of an admin action: 1-200 characters (`defaultReason` when omitted). */
export function OptionalSfsReason(defaultReason?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      minLength: 1,
      maxLength: 200,
      ...(defaultReason ? { default: defaultReason } : {}),
      description: 'Written to the audit trail',
    }),
    IsOptional(),
    IsString({ message: 'reason must be a string' }),
    Length(1, 200, { message: 'reason must be 1-200 characters' }),
  );
}
