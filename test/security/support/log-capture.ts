import { inspect } from 'node:util';
import type { LoggerService, LogLevel } from '@nestjs/common';

const render = (value: unknown): string =>
  typeof value === 'string' ? value : inspect(value, { depth: 10, showHidden: true });

/**
 * A Nest logger that keeps every line of every level (verbose and debug included), with its
 * arguments in full: error objects with their stack, cause and own fields.
 */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.keep('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.keep('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.keep('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.keep('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.keep('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.keep('fatal', message, rest);
  }

  /** The lines of one level. */
  of(level: LogLevel): string[] {
    return this.lines.filter((line) => line.startsWith(`${level} `));
  }

  private keep(level: LogLevel, message: unknown, rest: unknown[]): void {
    this.lines.push([level, render(message), ...rest.map(render)].join(' '));
  }
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** Keeps whatever anything writes through `console` (silenced) until `restore()`. */
export function captureConsole(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const spies = CONSOLE_METHODS.map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(`console.${method} ${args.map(render).join(' ')}`);
    }),
  );
  return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
