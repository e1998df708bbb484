import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** The actor the {@link SfsAdminGuard} stored for this request (e.g. `admin:key:acme#1a2b3c4d`). */
export const SfsAdminActor = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<{ sfsAdminActor?: string }>().sfsAdminActor ?? 'admin',
);
