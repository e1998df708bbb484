import { readFileSync } from 'node:fs';
import type { SfsAuthModuleOptions } from './sfs-auth-options.interface';

/** Where the checks below collect problems (all reported at once). */
export type Problems = string[];

/**
 * How a problem shows a value that is not a secret: a string or number as it is, any other type by
 * its kind only (options come from JavaScript hosts and typed config too, not only the environment).
 */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function integer(
  problems: Problems,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === null || value === '') return fallback;
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got ${shownValue(value)})`);
    return fallback;
  }
  return parsed;
}

/** A switch: a boolean, or its text as the environment gives it (`true`/`false`, `1`/`0`). */
export function flag(problems: Problems, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|1|yes|on)$/i.test(value.trim())) return true;
  if (typeof value === 'string' && /^(false|0|no|off)$/i.test(value.trim())) return false;
  problems.push(`${name} must be true or false (got ${shownValue(value)})`);
  return fallback;
}

export function baseUrl(problems: Problems, value: unknown, fallback: string): string {
  if (value !== undefined && value !== null && typeof value !== 'string') {
    problems.push(`baseUrl (SFS_BASE_URL) must be a string (got ${shownValue(value)})`);
    return fallback;
  }
  const raw = (value ?? fallback).trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`baseUrl (SFS_BASE_URL) is not a valid URL (got ${JSON.stringify(raw)})`);
    return raw;
  }
  if (url.protocol !== 'https:') {
    problems.push(
      `baseUrl (SFS_BASE_URL) must use https:// — SFS does not support HTTP (got ${url.protocol}//)`,
    );
  }
  if (url.username || url.password)
    problems.push('baseUrl (SFS_BASE_URL) must not contain credentials');
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export function caPem(problems: Problems, options: SfsAuthModuleOptions): string | undefined {
  if (options.caPem) return options.caPem;
  if (!options.caFile) return undefined;
  // A number would be read as a file descriptor (`readFileSync(0)` is stdin).
  if (typeof options.caFile !== 'string') {
    problems.push(`caFile (SFS_CA_FILE) must be a file path (got ${shownValue(options.caFile)})`);
    return undefined;
  }
  try {
    const pem = readFileSync(options.caFile, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      problems.push(`caFile (SFS_CA_FILE) ${options.caFile} holds no PEM certificate`);
    }
    return pem;
  } catch {
    problems.push(`caFile (SFS_CA_FILE) ${options.caFile} cannot be read`);
    return undefined;
  }
}

export function credentials(problems: Problems, options: SfsAuthModuleOptions, mode: string): void {
  if (options.credentialsResolver) return;
  // A credential of another type is named, never shown: it is a secret.
  const check = (value: unknown, name: string, required: string) => {
    const blank = typeof value === 'string' ? !value.trim() : value === undefined || value === null;
    if (blank) problems.push(required);
    else if (typeof value !== 'string') problems.push(`${name} must be a string`);
  };
  check(options.apiKey, 'apiKey (SFS_API_KEY)', 'apiKey (SFS_API_KEY) is required');
  if (mode === 'token') {
    check(options.secret, 'secret (SFS_SECRET)', 'secret (SFS_SECRET) is required in token mode');
  }
}

export function authMode(problems: Problems, options: SfsAuthModuleOptions): 'token' | 'api-key' {
  const mode = options.authMode ?? 'token';
  if (mode !== 'token' && mode !== 'api-key') {
    problems.push(
      `authMode (SFS_AUTH_MODE) must be 'token' or 'api-key' (got ${shownValue(mode)})`,
    );
    return 'token';
  }
  if (mode === 'api-key' && options.environment === 'production') {
    problems.push("authMode 'api-key' is for testing only and is refused when NODE_ENV=production");
  }
  return mode;
}

/** Releases an instance can run beside during a rolling upgrade (`compatibleWith`). */
export const SFS_COMPATIBLE_RELEASES = ['0.1.0'] as const;

export function compatibleWith(
  problems: Problems,
  value: string | undefined,
): (typeof SFS_COMPATIBLE_RELEASES)[number] | undefined {
  const release = typeof value === 'string' ? value.trim() : value;
  if (release === undefined || release === '') return undefined;
  const known = SFS_COMPATIBLE_RELEASES.find((r) => r === release);
  if (known) return known;
  problems.push(
    `compatibleWith (SFS_COMPATIBLE_WITH) must be one of ${SFS_COMPATIBLE_RELEASES.map((r) => `'${r}'`).join(', ')} (got ${shownValue(value)})`,
  );
  return undefined;
}

export function changeFeedMode(problems: Problems, value: unknown): 'auto' | 'listen' | 'poll' {
  const mode = typeof value === 'string' ? value.trim() || 'auto' : (value ?? 'auto');
  if (mode === 'auto' || mode === 'listen' || mode === 'poll') return mode;
  problems.push(
    `changeFeed.mode (SFS_CHANGE_FEED_MODE) must be 'auto', 'listen' or 'poll' (got ${shownValue(value)})`,
  );
  return 'auto';
}

/** A postgres:// URL, checked without ever echoing it (it usually holds a password). */
export function listenUrl(problems: Problems, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const raw = typeof value === 'string' ? value.trim() : '';
  if (typeof value === 'string' && !raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    problems.push(
      'changeFeed.listenUrl (SFS_LISTEN_DATABASE_URL) must be a postgres:// or postgresql:// URL',
    );
    return undefined;
  }
  return raw;
}
