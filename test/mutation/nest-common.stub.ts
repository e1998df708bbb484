/**
 * Mutation runs only (jest.mutation.config.js): the few `@nestjs/common` names the pure-logic
 * modules and their imports touch, as no-ops. Loading all of `@nestjs/common` again for every test
 * file of every mutant run costs seconds each time.
 */
export function Injectable(): ClassDecorator {
  return () => undefined;
}

/** Constructor-parameter injection: nothing to record without a Nest container. */
export function Inject(): ParameterDecorator & PropertyDecorator {
  return () => undefined;
}

/** A logger that says nothing. */
export class Logger {
  log(): void {}
  warn(): void {}
  error(): void {}
  debug(): void {}
}

/** Enough of the builder for `sfs-auth.module-definition.ts` to load (its module is never built). */
export class ConfigurableModuleBuilder {
  setClassMethodName(): this {
    return this;
  }
  setExtras(): this {
    return this;
  }
  build(): Record<string, unknown> {
    return {
      ConfigurableModuleClass: class {},
      MODULE_OPTIONS_TOKEN: Symbol('MODULE_OPTIONS_TOKEN'),
      OPTIONS_TYPE: undefined,
      ASYNC_OPTIONS_TYPE: undefined,
    };
  }
}
