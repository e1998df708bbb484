#!/usr/bin/env node
/**
 * `nestjs-sfs-auth`: the package's command line (`npx nestjs-sfs-auth doctor`). It reads the
 * process environment, and the variables of `--env-file` for those the environment lacks.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { formatSfsDoctorReport } from '../sfs-auth/doctor/doctor-report';
import { runSfsDoctor } from '../sfs-auth/doctor/sfs-doctor';

const USAGE = `usage: nestjs-sfs-auth doctor [--client-key K] [--env-file F] [--json] [--migrations-table T]

Proves a deployment before traffic does: options, TLS to SFS, every SFS token call (with
--client-key: a client token minted, used, revoked, and refused after), the database, its
migrations, the key ring on stored rows, the change feed, the admin keys.
Exit 0: no step failed; 1: a step failed; 2: usage.`;

interface Parsed {
  clientKey?: string;
  envFile?: string;
  json: boolean;
  migrationsTable?: string;
}

function parse(args: string[]): Parsed | string {
  if (args[0] !== 'doctor') return args[0] ? `unknown command: ${args[0]}` : 'no command';
  const parsed: Parsed = { json: false };
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      return next;
    };
    try {
      if (arg === '--json') parsed.json = true;
      else if (arg === '--client-key') parsed.clientKey = value();
      else if (arg === '--env-file') parsed.envFile = value();
      else if (arg === '--migrations-table') parsed.migrationsTable = value();
      else return `unknown option: ${arg}`;
    } catch (error) {
      return (error as Error).message;
    }
  }
  return parsed;
}

async function main(): Promise<number> {
  const parsed = parse(process.argv.slice(2));
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n\n${USAGE}`);
    return 2;
  }
  let fromFile: Record<string, string> = {};
  if (parsed.envFile) {
    try {
      fromFile = parseEnv(readFileSync(parsed.envFile, 'utf8')) as Record<string, string>;
    } catch {
      console.error(`cannot read the env file ${parsed.envFile}\n\n${USAGE}`);
      return 2;
    }
  }
  const report = await runSfsDoctor(
    { ...fromFile, ...process.env },
    { clientKey: parsed.clientKey, migrationsTable: parsed.migrationsTable },
  );
  console.log(parsed.json ? JSON.stringify(report, null, 2) : formatSfsDoctorReport(report));
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`doctor crashed: ${error instanceof Error ? error.name : 'error'}`);
    process.exit(1);
  },
);
