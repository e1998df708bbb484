import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { SfsTokenService, type SfsAuthModuleOptions } from '../../../src';
import { SfsSandbox } from '../../../src/sandbox';
import { SfsRevocationWorker } from '../../../src/sfs-auth/revocation/revocation.worker';
import { findNeedles, tokenNeedles, type Needle } from '../../e2e/support/needles';
import { createTestApp, sandboxOptions, testEncryptionKey } from '../../support/test-app';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

const ROOT = resolve(__dirname, '../../..');
/** The command as the package ships it (`bin` in package.json), built by `npm run build`. */
const CLI = join(ROOT, 'dist/src/cli/nestjs-sfs-auth.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** These suites run the built command, as an operator does: it must be built from these sources. */
export function assertCliBuilt(): void {
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : 0;
  if (built < newestSource(join(ROOT, 'src'))) {
    throw new Error(`${CLI} is missing or older than src/: run npm run build first`);
  }
}

/** What one run of the command printed, and how it ended. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/src/cli/nestjs-sfs-auth.js ...args` with exactly `env` (plus PATH). */
export function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/**
 * A deployment for the CLI to operate on: a database (schema from the migrations), the SFS
 * sandbox, and host-like app instances of the module (workers off: tests run their passes).
 */
export class CliDeployment {
  sandbox!: SfsSandbox;
  database!: TestDatabase;
  readonly adminKey = `cli-admin-key-${Math.random().toString(36).slice(2)}`;
  private readonly apps: INestApplication[] = [];

  constructor(public keys = testEncryptionKey('k1')) {}

  async start(label: string): Promise<void> {
    assertCliBuilt();
    this.sandbox = await SfsSandbox.start();
    this.database = await createTestDatabase(label);
  }

  /** An instance of the deployment, on its key ring (or `keys`). */
  async instance(extra: Partial<SfsAuthModuleOptions> = {}) {
    const app = await createTestApp({
      databaseUrl: this.database.url,
      options: sandboxOptions(this.sandbox, { encryptionKeys: this.keys, ...extra }),
    });
    this.apps.push(app);
    return {
      app,
      tokens: app.get(SfsTokenService),
      revocation: app.get(SfsRevocationWorker),
      db: app.get(DataSource),
    };
  }

  async closeInstances(): Promise<void> {
    for (const app of this.apps.splice(0)) await app.close();
  }

  /** The environment of the deployment, as an operator's shell or env file holds it. */
  env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      ...this.sandbox.env(),
      SFS_ENCRYPTION_KEYS: this.keys,
      SFS_ADMIN_KEYS: `*=${this.adminKey}`,
      DATABASE_URL: this.database.url,
      ...extra,
    };
  }

  /** Runs the command against this deployment. */
  cli(args: string[], extra: Record<string, string | undefined> = {}): Promise<CliRun> {
    return runCli(args, this.env(extra));
  }

  /** Rows as the database holds them (through a connection of the test's own). */
  async rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.database.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /**
   * Which secrets appear in what the command printed: every token the sandbox issued, the SFS
   * secret and API key, every encryption key (base64 and hex) and the admin key. Empty: none.
   */
  leaks(runs: readonly CliRun[], moreKeys: string[] = []): string[] {
    const env = this.sandbox.env();
    const needles: Needle[] = [
      ...tokenNeedles(this.sandbox.issuedTokens()),
      { label: 'SFS secret', value: env.SFS_SECRET },
      { label: 'SFS API key', value: env.SFS_API_KEY },
      { label: 'admin key', value: this.adminKey },
      ...[this.keys, ...moreKeys]
        .flatMap((ring) => ring.split(','))
        .flatMap((entry) => {
          const base64 = entry.split(':')[1];
          const hex = Buffer.from(base64, 'base64').toString('hex');
          return [
            { label: `encryption key ${entry.split(':')[0]}`, value: base64 },
            { label: `encryption key ${entry.split(':')[0]} (hex)`, value: hex },
          ];
        }),
    ];
    return findNeedles(
      needles,
      runs.flatMap((run, i) => [
        { where: `run ${i + 1} stdout`, text: run.stdout },
        { where: `run ${i + 1} stderr`, text: run.stderr },
      ]),
    );
  }

  async stop(): Promise<void> {
    await this.closeInstances();
    await this.sandbox?.close();
    await this.database?.drop();
  }
}
