import { ApiProperty } from '@nestjs/swagger';
import { IsSfsIdentifier } from '../index';

/** `POST /demo/login`. */
export class DemoLoginDto {
  @ApiProperty({ example: 'acme' }) @IsSfsIdentifier() tenantId!: string;
  @ApiProperty({ example: 'client-1' }) @IsSfsIdentifier() clientKey!: string;
  @ApiProperty({ example: 'alice' }) @IsSfsIdentifier() userId!: string;
}

/** `POST /demo/logout`. */
export class DemoLogoutDto {
  @ApiProperty({ example: 'acme' }) @IsSfsIdentifier() tenantId!: string;
  @ApiProperty({ example: 'alice' }) @IsSfsIdentifier() userId!: string;
}

/** What `POST /demo/login` answers: the user's SFS client token, for their browser. */
export class DemoLoginResponseDto {
  @ApiProperty() subjectId!: string;
  @ApiProperty({ format: 'uuid' }) tokenId!: string;
  @ApiProperty({ description: 'The SFS client token (the demo hands it to the browser)' })
  accessToken!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}
