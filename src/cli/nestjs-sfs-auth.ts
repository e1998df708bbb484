#!/usr/bin/env node
/**
 * `nestjs-sfs-auth`: the package's command line for operators (`npx nestjs-sfs-auth <command>`).
 * Each command reads the process environment, and the variables of `--env-file` for those the
 * environment lacks; `--json` prints one JSON document on stdout. Exit 0: done; 1: failed; 2: usage.
 */
import { SfsAuthError, SfsInvalidInputError } from '../sfs-auth/errors/sfs-auth.error';
import { sfsEnvSecretMask, SfsSecretMask } from '../sfs-auth/options/secret-mask';
import { cliEnvironment, cliSynopsis, cliUsage, parseCliArgs } from './cli-args';
import { type CliCommand, type CliExit, CliFailure, CliUsageError } from './cli-command';
import { CliIo } from './cli-io';
import { doctorCommand } from './commands/doctor.command';
import { keysReencryptCommand } from './commands/keys-reencrypt.command';
import { revocationsListCommand, revocationsRetryCommand } from './commands/revocations.command';
import { tenantsListCommand, tenantsOffboardCommand } from './commands/tenants.command';

/** Every command, in the order the usage text lists them. */
const COMMANDS: readonly CliCommand[] = [
  doctorCommand,
  keysReencryptCommand,
  revocationsListCommand,
  revocationsRetryCommand,
  tenantsListCommand,
  tenantsOffboardCommand,
];

async function main(args: readonly string[]): Promise<CliExit> {
  const usage = cliUsage(COMMANDS);
  let io = new CliIo(false, new SfsSecretMask());
  let command: CliCommand | undefined;
  try {
    const request = parseCliArgs(args, COMMANDS);
    if (request.help) {
      io.line(usage);
      return 0;
    }
    command = request.command;
    const env = cliEnvironment(request.envFile, process.env);
    io = new CliIo(request.json, sfsEnvSecretMask(env));
    return await request.command.run({ ...request.input, env }, io);
  } catch (error) {
    if (error instanceof CliUsageError || error instanceof SfsInvalidInputError) {
      const about = (error instanceof CliUsageError && error.command) || command;
      io.error(
        about
          ? `${error.message}\n\nusage: ${cliSynopsis(about)}\n(nestjs-sfs-auth --help lists every command)`
          : `${error.message}\n\n${usage}`,
      );
      return 2;
    }
    // Expected failures state their reason; anything else only its name (a message may hold a URL).
    const reason =
      error instanceof CliFailure
        ? error.message
        : error instanceof SfsAuthError
          ? `${error.code} ${error.message}`
          : `unexpected ${error instanceof Error ? error.name : 'error'}`;
    io.error(`${command?.name ?? 'nestjs-sfs-auth'} failed: ${reason}`);
    if (io.json) io.result({ ok: false, error: reason }, () => []);
    return 1;
  }
}

/** Exits once stdout and stderr are flushed (writes to a pipe may still be queued on some systems). */
function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(exit, (error: unknown) => {
  console.error(`nestjs-sfs-auth crashed: ${error instanceof Error ? error.name : 'error'}`);
  exit(1);
});
