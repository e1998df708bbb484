import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import {
  SfsAdminAccessError,
  SfsApiError,
  SfsInvalidInputError,
  SfsTokenNotActiveError,
  SfsTokenNotFoundError,
} from '../errors/sfs-auth.error';
import { sfsAdminErrorResponse } from './admin-exception.filter';

describe('sfsAdminErrorResponse', () => {
  it.each([
    [new SfsInvalidInputError('clientKey', 'must be a string'), 400, 'INVALID_INPUT'],
    [new SfsAdminAccessError('unauthenticated', 'acme'), 401, 'ADMIN_UNAUTHENTICATED'],
    [new SfsAdminAccessError('forbidden', 'acme'), 403, 'ADMIN_FORBIDDEN'],
    [new SfsTokenNotFoundError('acme', 'id'), 404, 'TOKEN_NOT_FOUND'],
    [new SfsTokenNotActiveError('acme', 'id', 'revoked'), 409, 'TOKEN_NOT_ACTIVE'],
    [new SfsApiError('SFS_UNAVAILABLE', 'SFS answered 503', true), 503, 'SFS_UNAVAILABLE'],
    [
      new SfsApiError('SFS_CREDENTIALS_REJECTED', 'SFS refused the credentials', false),
      502,
      'SFS_CREDENTIALS_REJECTED',
    ],
    [new PayloadTooLargeException('too big'), 413, 'PAYLOAD_TOO_LARGE'],
    [new BadRequestException('Unexpected token'), 400, 'BAD_REQUEST'],
    [new NotFoundException(), 404, 'NOT_FOUND'],
  ])('%p → %d %s', (error, statusCode, code) => {
    expect(sfsAdminErrorResponse(error)).toMatchObject({ statusCode, code });
  });

  it('names the field of invalid input, and hides unexpected errors behind a generic 500', () => {
    expect(sfsAdminErrorResponse(new SfsInvalidInputError('limit', 'is bad')).field).toBe('limit');
    const secret = new Error('connect postgres://user:hunter2@db/x failed');
    expect(sfsAdminErrorResponse(secret)).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'internal error',
    });
  });
});
