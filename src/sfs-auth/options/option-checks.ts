import { readFileSync } from 'node:fs';
import type { SfsAuthModuleOptions } from './sfs-auth-options.interface';

/** Where the checks below collect problems (all reported at once). */
export type Problems = string[];

export function integer(
  problems: Problems,
  name: string,
  value: number | string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === '') return fallback;
  const parsed = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    problems.push(
      `${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`,
    );
    return fallback;
  }
  return parsed;
}

/** A switch: a boolean, or its text as the environment gives it (`true`/`false`, `1`/`0`). */
export function flag(
  problems: Problems,
  name: string,
  value: boolean | string | undefined,
  fallback: boolean,
): boolean {
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  if (/^(true|1|yes|on)$/i.test(value.trim())) return true;
  if (/^(false|0|no|off)$/i.test(value.trim())) return false;
  problems.push(`${name} must be true or false (got ${JSON.stringify(value)})`);
  return fallback;
}

export function baseUrl(problems: Problems, value: string | undefined, fallback: string): string {
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
  if (!options.apiKey?.trim()) problems.push('apiKey (SFS_API_KEY) is required');
  if (mode === 'token' && !options.secret?.trim())
    problems.push('secret (SFS_SECRET) is required in token mode');
}

export function authMode(problems: Problems, options: SfsAuthModuleOptions): 'token' | 'api-key' {
  const mode = options.authMode ?? 'token';
  if (mode !== 'token' && mode !== 'api-key') {
    problems.push(
      `authMode (SFS_AUTH_MODE) must be 'token' or 'api-key' (got ${JSON.stringify(mode)})`,
    );
    return 'token';
  }
  if (mode === 'api-key' && options.environment === 'production') {
    problems.push("authMode 'api-key' is for testing only and is refused when NODE_ENV=production");
  }
  return mode;
}

export function changeFeedMode(
  problems: Problems,
  value: string | undefined,
): 'auto' | 'listen' | 'poll' {
  const mode = value?.trim() || 'auto';
  if (mode === 'auto' || mode === 'listen' || mode === 'poll') return mode;
  problems.push(
    `changeFeed.mode (SFS_CHANGE_FEED_MODE) must be 'auto', 'listen' or 'poll' (got ${JSON.stringify(value)})`,
  );
  return 'auto';
}

/** A postgres:// URL, checked without ever echoing it (it usually holds a password). */
export function listenUrl(problems: Problems, value: string | undefined): string | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
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
