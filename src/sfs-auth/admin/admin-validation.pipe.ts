import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { SfsInvalidInputError } from '../errors/sfs-auth.error';
import {
  fieldWithNul,
  SFS_ADMIN_MAX_BODY_DEPTH,
  SFS_ADMIN_RESERVED_KEYS,
  valueTooDeep,
} from './admin-body.limits';

/** The first failing field of a validation result, with its dotted path. */
function firstProblem(errors: ValidationError[], parent = ''): { field: string; problem: string } {
  for (const error of errors) {
    const field = error.property ? `${parent}${error.property}` : parent || 'body';
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) {
      const message = messages[0];
      // class-validator messages start with the property name; keep only what follows it.
      const problem = message.startsWith(`${error.property} `)
        ? message.slice(error.property.length + 1)
        : message.startsWith('property ')
          ? 'is not allowed'
          : message;
      return { field, problem };
    }
    if (error.children?.length) return firstProblem(error.children, `${field}.`);
  }
  return { field: parent || 'body', problem: 'is invalid' };
}

class SfsAdminValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // What a problem of the whole value is named: `query` (or `param`) is no body.
    const root = metadata.type === 'body' ? 'body' : metadata.type;
    // Before class-transformer and class-validator, which recurse: a deep value must not reach them.
    if (valueTooDeep(value)) {
      throw new SfsInvalidInputError(
        root,
        `must not nest deeper than ${SFS_ADMIN_MAX_BODY_DEPTH} levels`,
      );
    }
    const nul = fieldWithNul(value, '', root);
    if (nul) throw new SfsInvalidInputError(nul, 'must not contain NUL characters');
    // Dropped on the way to the DTO instance, so the whitelist would never see them (query strings).
    if (typeof value === 'object' && value !== null) {
      const reserved = SFS_ADMIN_RESERVED_KEYS.find((key) =>
        Object.prototype.hasOwnProperty.call(value, key),
      );
      if (reserved) throw new SfsInvalidInputError(reserved, 'is not allowed');
      // A key without a name (`?=x`, `{"":1}`) has no field to name: the whole value is refused.
      if (Object.prototype.hasOwnProperty.call(value, '')) {
        throw new SfsInvalidInputError(root, 'must not have a key without a name');
      }
    }
    return super.transform(value, metadata);
  }
}

/**
 * The admin controller's own validation (a library must not rely on the host's global pipes):
 * unknown fields rejected, query strings converted explicitly, and the first problem reported as
 * an {@link SfsInvalidInputError} naming the field.
 */
export function sfsAdminValidationPipe(): ValidationPipe {
  return new SfsAdminValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const { field, problem } = firstProblem(errors);
      return new SfsInvalidInputError(field, problem);
    },
  });
}
