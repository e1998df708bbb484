import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { type CliCommand, type CliInput, CliUsageError } from './cli-command';

/** What the command line asked for: help, or a command with its input. */
export type CliRequest =
  | { readonly help: true }
  | {
      readonly help?: false;
      readonly command: CliCommand;
      readonly json: boolean;
      readonly envFile?: string;
      readonly input: Omit<CliInput, 'env'>;
    };

const COMMON = '[--env-file F] [--json]';

/** One command's usage line: `nestjs-sfs-auth <words> <synopsis>`, and the common options. */
export function cliSynopsis(command: CliCommand, common = true): string {
  const parts = ['nestjs-sfs-auth', command.name, command.synopsis, common ? COMMON : ''];
  return parts.filter((part) => part !== '').join(' ');
}

/** The usage text: every command and its options, what all share, then what each does. */
export function cliUsage(commands: readonly CliCommand[]): string {
  return [
    ...commands.map((c, i) => `${i === 0 ? 'usage: ' : '       '}${cliSynopsis(c, false)}`),
    '',
    `Every command takes ${COMMON}. It reads DATABASE_URL and the SFS_* variables from the`,
    'environment, and those the environment lacks from --env-file F. --json prints one JSON',
    'document on stdout and nothing else. Exit 0: done (doctor: no step failed); 1: failed;',
    '2: usage (arguments, identifiers, --confirm).',
    '',
    ...commands.flatMap((c) => [
      `  ${c.name}`,
      ...c.summary.split('\n').map((line) => `      ${line}`),
    ]),
  ].join('\n');
}

/** Splits `args` into a command and its operands, options and flags; throws {@link CliUsageError}. */
export function parseCliArgs(args: readonly string[], commands: readonly CliCommand[]): CliRequest {
  if (args.length === 0) throw new CliUsageError('no command');
  if (['help', '--help', '-h'].includes(args[0])) return { help: true };
  const command = commands.find((c) => {
    const words = c.name.split(' ');
    return words.every((word, i) => args[i] === word);
  });
  if (!command) {
    const subcommands = commands
      .filter((c) => c.name.startsWith(`${args[0]} `))
      .map((c) => c.name.split(' ')[1]);
    if (subcommands.length > 0 && (args[1] === undefined || args[1].startsWith('-'))) {
      throw new CliUsageError(`${args[0]} needs one of: ${subcommands.join(', ')}`);
    }
    throw new CliUsageError(
      `unknown command: ${args.slice(0, subcommands.length ? 2 : 1).join(' ')}`,
    );
  }
  const options = new Set([...(command.options ?? []), 'env-file']);
  const flags = new Set([...(command.flags ?? []), 'json']);
  const values = new Map<string, string>();
  const given = new Set<string>();
  const operands: string[] = [];
  const rest = args.slice(command.name.split(' ').length);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) {
      operands.push(arg);
      continue;
    }
    const [name, inline] = splitOption(arg.slice(2));
    if (flags.has(name) && inline === undefined) given.add(name);
    else if (options.has(name)) {
      const value = inline ?? rest[++i];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
        throw new CliUsageError(`--${name} needs a value`, command);
      }
      values.set(name, value);
    } else throw new CliUsageError(`unknown option for ${command.name}: --${name}`, command);
  }
  const wanted = command.operands ?? 0;
  if (operands.length > wanted) {
    throw new CliUsageError(`${command.name}: unexpected argument ${operands[wanted]}`, command);
  }
  const envFile = values.get('env-file');
  values.delete('env-file');
  const json = given.delete('json');
  return { command, json, envFile, input: { operands, values, flags: given } };
}

function splitOption(text: string): [string, string | undefined] {
  const equals = text.indexOf('=');
  return equals < 0 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)];
}

/** The process environment over the variables of `envFile` (those the environment lacks). */
export function cliEnvironment(
  envFile: string | undefined,
  processEnv: NodeJS.ProcessEnv,
): Record<string, string | undefined> {
  if (!envFile) return { ...processEnv };
  let fromFile: Record<string, string>;
  try {
    fromFile = parseEnv(readFileSync(envFile, 'utf8')) as Record<string, string>;
  } catch {
    throw new CliUsageError(`cannot read the env file ${envFile}`);
  }
  return { ...fromFile, ...processEnv };
}
