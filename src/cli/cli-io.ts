import type { LoggerService } from '@nestjs/common';
import type { SfsSecretMask } from '../sfs-auth/options/secret-mask';

/**
 * Everything the command line prints goes through here, with every secret of the environment
 * masked. With `--json`, stdout holds one JSON document and nothing else: the lines meant for a
 * person (progress, notes) go to stderr.
 */
export class CliIo {
  constructor(
    readonly json: boolean,
    private readonly mask: SfsSecretMask,
  ) {}

  /** A line for the person at the terminal: stdout, or stderr with `--json`. */
  line(text: string): void {
    (this.json ? process.stderr : process.stdout).write(`${this.mask.redact(text)}\n`);
  }

  /** The command's result: `document` as JSON with `--json`, else the lines of `text`. */
  result(document: object, text: () => string[]): void {
    if (this.json) process.stdout.write(`${this.mask.redact(JSON.stringify(document, null, 2))}\n`);
    else for (const line of text()) this.line(line);
  }

  /** A problem, on stderr. */
  error(text: string): void {
    process.stderr.write(`${this.mask.redact(text)}\n`);
  }

  /**
   * A Nest logger for the module's own warnings and errors (their messages are written never to
   * hold a secret, and are masked here as well), on stderr and without stack traces; the
   * framework's lines and everything below `warn` stay quiet.
   */
  nestLogger(): LoggerService {
    const print = (level: string, message: unknown, rest: unknown[]) => {
      const context = rest.length > 0 ? rest[rest.length - 1] : undefined;
      if (typeof context === 'string' && context.startsWith('Sfs')) {
        this.error(`${level}: ${String(message)}`);
      }
    };
    return {
      log: () => undefined,
      warn: (message: unknown, ...rest: unknown[]) => print('warn', message, rest),
      error: (message: unknown, ...rest: unknown[]) => print('error', message, rest),
      fatal: (message: unknown, ...rest: unknown[]) => print('error', message, rest),
    };
  }
}
