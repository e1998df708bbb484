import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEnvironment, cliUsage, parseCliArgs } from './cli-args';
import { type CliCommand, CliUsageError } from './cli-command';

const command = (name: string, more: Partial<CliCommand> = {}): CliCommand => ({
  name,
  synopsis: '',
  summary: `${name} does things`,
  run: () => Promise.resolve(0),
  ...more,
});
const COMMANDS = [
  command('doctor', { options: ['client-key'] }),
  command('tenants list'),
  command('tenants offboard', { options: ['confirm'], flags: ['yes'], operands: 1 }),
];
const parse = (...args: string[]) => parseCliArgs(args, COMMANDS);
const refused = (args: string[]) => {
  try {
    parseCliArgs(args, COMMANDS);
  } catch (error) {
    if (error instanceof CliUsageError) return [error.message, error.command?.name];
    throw error;
  }
  throw new Error(`accepted: ${args.join(' ')}`);
};

describe('parseCliArgs', () => {
  it('finds the command by its words; options with a value (spaced or =), flags, operands', () => {
    expect(parse('tenants', 'offboard', 'acme', '--confirm=acme', '--yes', '--json')).toEqual({
      command: COMMANDS[2],
      json: true,
      envFile: undefined,
      input: {
        operands: ['acme'],
        values: new Map([['confirm', 'acme']]),
        flags: new Set(['yes']),
      },
    });
    const doctor = parse('doctor', '--env-file', '.env', '--client-key', 'k');
    expect(doctor).toMatchObject({ json: false, envFile: '.env' });
    expect(doctor.help !== true && [...doctor.input.values]).toEqual([['client-key', 'k']]);
    expect(parse('--help')).toEqual({ help: true });
  });

  it.each([
    [[], 'no command', undefined],
    [['doctr'], 'unknown command: doctr', undefined],
    [['tenants'], 'tenants needs one of: list, offboard', undefined],
    [['tenants', '--json'], 'tenants needs one of: list, offboard', undefined],
    [['tenants', 'purge'], 'unknown command: tenants purge', undefined],
    [['doctor', '--client-key'], '--client-key needs a value', 'doctor'],
    [['doctor', '--client-key', '--json'], '--client-key needs a value', 'doctor'],
    [['doctor', '--client-key='], '--client-key needs a value', 'doctor'],
    [['doctor', '--nope'], 'unknown option for doctor: --nope', 'doctor'],
    [['doctor', '--json=yes'], 'unknown option for doctor: --json', 'doctor'],
    [['tenants', 'list', 'acme'], 'tenants list: unexpected argument acme', 'tenants list'],
    [
      ['tenants', 'offboard', 'a', 'b'],
      'tenants offboard: unexpected argument b',
      'tenants offboard',
    ],
  ])('%j is a usage error: %s', (args, message, about) => {
    expect(refused(args)).toEqual([message, about]);
  });
});

describe('cliUsage', () => {
  it('lists every command, one usage line each, and what each does', () => {
    const usage = cliUsage(COMMANDS).split('\n');
    expect(usage.slice(0, 3)).toEqual([
      'usage: nestjs-sfs-auth doctor',
      '       nestjs-sfs-auth tenants list',
      '       nestjs-sfs-auth tenants offboard',
    ]);
    for (const c of COMMANDS) expect(usage).toContain(`      ${c.name} does things`);
  });
});

describe('cliEnvironment', () => {
  it('the environment wins over the file, which fills what it lacks', () => {
    const file = join(tmpdir(), `cli-args-${process.pid}.env`);
    writeFileSync(file, 'A="from file"\nB=from-file\n');
    expect(cliEnvironment(file, { B: 'from env' })).toEqual({ A: 'from file', B: 'from env' });
    expect(cliEnvironment(undefined, { B: 'from env' })).toEqual({ B: 'from env' });
    expect(() => cliEnvironment(tmpdir(), {})).toThrow(
      new CliUsageError(`cannot read the env file ${tmpdir()}`),
    );
  });
});
