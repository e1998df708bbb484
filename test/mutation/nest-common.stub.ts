/**
 * Mutation runs only (jest.mutation.config.js): `@Injectable()` as a no-op. The pure-logic modules
 * use nothing else from `@nestjs/common`, and loading all of it again for every test file of every
 * mutant run costs seconds each time.
 */
export function Injectable(): ClassDecorator {
  return () => undefined;
}
