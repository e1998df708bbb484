import { loadOpenApiDecorators } from './openapi.decorators';

describe('loadOpenApiDecorators (@nestjs/swagger is an optional peer)', () => {
  const missing = (name: string) =>
    Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });

  it("uses the host's swagger decorators when the package is there", () => {
    const marker = () => () => undefined;
    const decorators = loadOpenApiDecorators(() => ({ ApiProperty: marker, ApiTags: marker }));
    expect(decorators.ApiProperty).toBe(marker);
    expect(decorators.ApiTags).toBe(marker);
    // A decorator the installed version lacks degrades to a no-op, not a crash at import.
    expect(decorators.ApiOkResponse({})).toEqual(expect.any(Function));
  });

  it('decorates nothing when the package is absent, and the class stays usable', () => {
    const { ApiProperty, ApiTags } = loadOpenApiDecorators((name) => {
      throw missing(name);
    });
    @ApiTags('x')
    class Dto {
      @ApiProperty({ example: 1 }) value = 1;
    }
    expect(new Dto().value).toBe(1);
    // Every factory hands out the one shared no-op: nothing of swagger's was loaded or applied.
    const noop = ApiProperty({});
    expect(ApiTags('x')).toBe(noop);
    expect(noop(Dto.prototype, 'value')).toBeUndefined();
  });

  it('rethrows a broken install (another missing module) instead of hiding it', () => {
    expect(() =>
      loadOpenApiDecorators(() => {
        throw missing('swagger-ui-dist');
      }),
    ).toThrow("Cannot find module 'swagger-ui-dist'");
    expect(() =>
      loadOpenApiDecorators(() => {
        throw new SyntaxError('Unexpected token');
      }),
    ).toThrow(SyntaxError);
  });
});
