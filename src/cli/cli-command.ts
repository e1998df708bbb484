import { SFS_IDENTIFIER_RULE, sfsIsIdentifier, sfsIsUuid } from '../sfs-auth/model/identifiers';
import type { CliIo } from './cli-io';

/** How the command line ends: 0 done, 1 failed (a step, the database, the configuration), 2 usage. */
export type CliExit = 0 | 1 | 2;

/**
 * A mistake on the command line (or in `--env-file`): exit 2, with the message and the usage (of
 * `command` when known, else of every command).
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';

  constructor(
    message: string,
    readonly command?: CliCommand,
  ) {
    super(message);
  }
}

/** A command that could not do its work for a reason it can state: exit 1, with the message. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

/** What a command is given, parsed but not yet checked (each command checks its own values). */
export interface CliInput {
  /** Positional arguments after the command's words (`tenants offboard <id>`). */
  readonly operands: readonly string[];
  /** Options given with a value (`--tenant acme`), by name without the dashes. */
  readonly values: ReadonlyMap<string, string>;
  /** Options given alone (`--yes`), by name without the dashes. */
  readonly flags: ReadonlySet<string>;
  /** The process environment over the variables of `--env-file`. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** One command of `nestjs-sfs-auth`: its words, what it accepts, and what it does. */
export interface CliCommand {
  /** The words that name it, e.g. `keys reencrypt`. */
  readonly name: string;
  /** Its operands and options for the usage text, e.g. `[--tenant T] [--token ID]`. */
  readonly synopsis: string;
  /** What it does, for the usage text (one or two short lines). */
  readonly summary: string;
  /** Options that take a value (besides `--env-file`). */
  readonly options?: readonly string[];
  /** Options that stand alone (besides `--json`). */
  readonly flags?: readonly string[];
  /** How many operands it takes. @default 0 */
  readonly operands?: number;
  run(input: CliInput, io: CliIo): Promise<CliExit>;
}

/** `--name`'s value when given, checked to be a tenant (or other) identifier. */
export function identifierOption(input: CliInput, name: string): string | undefined {
  const value = input.values.get(name);
  if (value !== undefined && !sfsIsIdentifier(value)) {
    throw new CliUsageError(`--${name} must be ${SFS_IDENTIFIER_RULE}`);
  }
  return value;
}

/** `--name`'s value when given, checked to be a token id (a UUID). */
export function uuidOption(input: CliInput, name: string): string | undefined {
  const value = input.values.get(name);
  if (value !== undefined && !sfsIsUuid(value)) {
    throw new CliUsageError(`--${name} must be a token id (a UUID)`);
  }
  return value;
}

/** `--name`'s value as a whole number in [min, max], or `fallback` when not given. */
export function integerOption(
  input: CliInput,
  name: string,
  [min, max]: readonly [number, number],
  fallback: number,
): number {
  const value = input.values.get(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new CliUsageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/** `--name`'s value when given, checked to be one of `allowed`. */
export function choiceOption<T extends string>(
  input: CliInput,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = input.values.get(name);
  if (value !== undefined && !allowed.includes(value as T)) {
    throw new CliUsageError(`--${name} must be one of ${allowed.join(', ')}`);
  }
  return value as T | undefined;
}
