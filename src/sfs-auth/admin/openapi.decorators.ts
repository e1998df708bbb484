/**
 * The OpenAPI decorators of the admin API. `@nestjs/swagger` is an optional peer: with it, these are
 * the host's own copy's decorators (so the host's `SwaggerModule` documents the admin routes); without
 * it, they do nothing and the admin API works the same, undocumented. Typed here rather than with
 * swagger's types so that the published `.d.ts` files never name a package the host may not have.
 */
import { loadOptionalPeer } from '../common/optional-peer';

type OpenApiDecorator = ClassDecorator & MethodDecorator & PropertyDecorator;
type OpenApiOptions = Record<string, unknown>;

interface OpenApiDecorators {
  ApiExcludeController(disable?: boolean): OpenApiDecorator;
  ApiBearerAuth(name?: string): OpenApiDecorator;
  ApiCreatedResponse(options?: OpenApiOptions): OpenApiDecorator;
  ApiOkResponse(options?: OpenApiOptions): OpenApiDecorator;
  ApiOperation(options: OpenApiOptions): OpenApiDecorator;
  ApiProperty(options?: OpenApiOptions): OpenApiDecorator;
  ApiPropertyOptional(options?: OpenApiOptions): OpenApiDecorator;
  ApiResponse(options: OpenApiOptions): OpenApiDecorator;
  ApiTags(...tags: string[]): OpenApiDecorator;
}

/** `@nestjs/swagger`'s decorators, or no-ops when the host does not have the package. */
export function loadOpenApiDecorators(load?: (name: string) => unknown): OpenApiDecorators {
  const swagger = loadOptionalPeer<Partial<OpenApiDecorators>>('@nestjs/swagger', load) ?? {};
  const noop: OpenApiDecorator = () => undefined;
  const none = (): OpenApiDecorator => noop;
  const or = <F>(real: F | undefined): F | typeof none =>
    typeof real === 'function' ? real : none;
  return {
    ApiExcludeController: or(swagger.ApiExcludeController),
    ApiBearerAuth: or(swagger.ApiBearerAuth),
    ApiCreatedResponse: or(swagger.ApiCreatedResponse),
    ApiOkResponse: or(swagger.ApiOkResponse),
    ApiOperation: or(swagger.ApiOperation),
    ApiProperty: or(swagger.ApiProperty),
    ApiPropertyOptional: or(swagger.ApiPropertyOptional),
    ApiResponse: or(swagger.ApiResponse),
    ApiTags: or(swagger.ApiTags),
  };
}

export const {
  ApiExcludeController,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} = loadOpenApiDecorators();
