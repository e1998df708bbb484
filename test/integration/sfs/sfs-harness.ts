import { Logger, type LoggerService } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { format } from 'node:util';
import { SfsSandbox } from '../../../src/sandbox';
import { SfsClock, SfsSystemClock } from '../../../src/sfs-auth/clock/clock';
import { resolveSfsAuthOptions } from '../../../src/sfs-auth/options/resolve-sfs-auth-options';
import { type SfsAuthModuleOptions } from '../../../src/sfs-auth/options/sfs-auth-options.interface';
import { SFS_AUTH_RESOLVED_OPTIONS } from '../../../src/sfs-auth/options/option-table';
import { SFS_WIRE_PROVIDERS } from '../../../src/sfs-auth/sfs/sfs-wire.providers';

/** Every line any Nest logger wrote, at every level. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private push(level: string, args: unknown[]): void {
    this.lines.push(`${level} ${format(...args)}`);
  }
  log(...args: unknown[]): void {
    this.push('log', args);
  }
  error(...args: unknown[]): void {
    this.push('error', args);
  }
  warn(...args: unknown[]): void {
    this.push('warn', args);
  }
  debug(...args: unknown[]): void {
    this.push('debug', args);
  }
  verbose(...args: unknown[]): void {
    this.push('verbose', args);
  }
  fatal(...args: unknown[]): void {
    this.push('fatal', args);
  }
}

/** A fresh 32-byte key ring, as resolveSfsAuthOptions requires one. */
export function testEncryptionKeys(): string {
  return `k1:${randomBytes(32).toString('base64')}`;
}

/** Options pointing at the sandbox with fast retries; `overrides` win. */
export function sandboxOptions(
  sandbox: SfsSandbox,
  overrides: SfsAuthModuleOptions = {},
): SfsAuthModuleOptions {
  const account = sandbox.accounts[0];
  return {
    baseUrl: sandbox.url,
    caPem: sandbox.caPem,
    apiKey: account.apiKey,
    secret: account.secret,
    encryptionKeys: testEncryptionKeys(),
    requestTimeoutMs: 2000,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 2000 },
    shutdownTimeoutMs: 1000,
    ...overrides,
  };
}

/**
 * The logger every module of a test file writes to: Nest's logger override is process-wide, so one
 * capture per file sees everything (each Jest test file has its own module registry).
 */
const capturedLogs = new CapturingLogger();

/** A testing module holding the real SFS providers against the sandbox, logs captured. */
export async function compileSfsModule(
  options: SfsAuthModuleOptions,
  clock: SfsClock = new SfsSystemClock(),
): Promise<{ moduleRef: TestingModule; logs: CapturingLogger }> {
  const logs = capturedLogs;
  const moduleRef = await Test.createTestingModule({
    providers: [
      { provide: SFS_AUTH_RESOLVED_OPTIONS, useValue: resolveSfsAuthOptions(options) },
      { provide: SfsClock, useValue: clock },
      ...SFS_WIRE_PROVIDERS,
    ],
  })
    .setLogger(logs)
    .compile();
  moduleRef.useLogger(logs);
  Logger.overrideLogger(logs);
  await moduleRef.init();
  return { moduleRef, logs };
}

/** Everything observable about an error: message, JSON, stack and cause chain, as text. */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    const e = current as Error & Record<string, unknown>;
    parts.push(String(e.message), String(e.stack), JSON.stringify(e), format('%o', e));
    current = e.cause;
  }
  return parts.join('\n');
}

/** Every credential and token the sandbox saw or issued (API keys, secrets, all tokens). */
export function secretsOf(sandbox: SfsSandbox): string[] {
  const secrets = new Set<string>(sandbox.accounts.flatMap((a) => [a.apiKey, a.secret]));
  for (const call of sandbox.calls({ reveal: true })) {
    for (const t of [call.issuedToken, call.usedToken, call.revokedToken]) if (t) secrets.add(t);
  }
  return [...secrets];
}

/** Fails with the offending secret's last 4 characters if any text contains one. */
export function expectNoSecrets(texts: string[], secrets: string[]): void {
  const joined = texts.join('\n');
  const leaked = secrets.filter((s) => joined.includes(s)).map((s) => `…${s.slice(-4)}`);
  expect(leaked).toEqual([]);
}

/** Awaits a promise expected to reject and returns the rejection. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}
