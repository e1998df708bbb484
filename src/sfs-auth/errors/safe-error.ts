import { SfsAuthError } from './sfs-auth.error';

/**
 * The one place that turns an error into text for logs, stored `last_error` columns, health
 * results and metrics labels. Only names and codes leave: the messages of foreign errors (driver,
 * socket, host code) may carry connection URLs, SQL parameters, tokens or secrets. An
 * {@link SfsAuthError}'s message is the module's own, written never to hold any of those.
 */

/** A code is only passed on when it looks like one (SQLSTATE, errno name, our own codes). */
const SAFE_CODE = /^[A-Za-z0-9_]{1,40}$/;

function stringField(value: unknown, field: 'name' | 'code'): string | undefined {
  const found = (value as Record<string, unknown> | null | undefined)?.[field];
  return typeof found === 'string' ? found : undefined;
}

/**
 * The driver's or the system's code of an error (a SQLSTATE such as `57P01`, a socket code such
 * as `ECONNREFUSED`), looked for on the error, its TypeORM `driverError` and its `cause`.
 */
export function sfsDriverCode(error: unknown): string | undefined {
  const nested = error as { driverError?: unknown; cause?: unknown } | null | undefined;
  for (const candidate of [error, nested?.driverError, nested?.cause]) {
    const code = stringField(candidate, 'code');
    if (code !== undefined && SAFE_CODE.test(code)) return code;
  }
  return undefined;
}

/** A short label: an `SfsAuthError`'s code, else the error's class name, else `error`. */
export function sfsErrorCode(error: unknown): string {
  if (error instanceof SfsAuthError) return error.code;
  return stringField(error, 'name') ?? 'error';
}

/** Class name and code, never the message (e.g. `QueryFailedError 23505`). */
export function sfsErrorDetail(error: unknown): string {
  const parts = [stringField(error, 'name'), stringField(error, 'code')];
  return parts.filter((part) => part !== undefined).join(' ') || 'error';
}

/** For a log line: an `SfsAuthError`'s code and message, else {@link sfsErrorDetail}. */
export function sfsErrorForLog(error: unknown): string {
  if (error instanceof SfsAuthError) return `${error.code} ${error.message}`;
  return sfsErrorDetail(error);
}
