import { parseAdminKeys } from './admin-keys';
import { parseEncryptionKeys } from './encryption-keys';
import { SfsAuthConfigError } from '../errors/sfs-auth.error';
import {
  authMode,
  baseUrl,
  caPem,
  changeFeedMode,
  compatibleWith,
  credentials,
  flag,
  integer,
  listenUrl,
  type Problems,
} from './option-checks';
import {
  SFS_DEFAULT_BASE_URL,
  SFS_OPTION_TABLE,
  sfsOptionLabel,
  sfsSetValueAt,
  sfsValueAt,
} from './option-table';
import type { SfsAuthModuleOptions } from './sfs-auth-options.interface';
import type { SfsAuthResolvedOptions } from './option-table';

/**
 * Applies defaults and validates every option, throwing one {@link SfsAuthConfigError} that lists
 * every problem found. Integer and boolean options follow their row of `SFS_OPTION_TABLE`
 * (default, bounds); the others have their own checks in `option-checks.ts`. Messages name options
 * and environment variables, never secret values.
 */
export function resolveSfsAuthOptions(options: SfsAuthModuleOptions): SfsAuthResolvedOptions {
  const problems: Problems = [];
  // The mode decides which credentials are required, so it is known before its row comes.
  const modeProblems: Problems = [];
  const mode = authMode(modeProblems, options);
  const checks: Readonly<Record<string, () => unknown>> = {
    baseUrl: () => baseUrl(problems, options.baseUrl, SFS_DEFAULT_BASE_URL),
    apiKey: () => {
      credentials(problems, options, mode);
      return typeof options.apiKey === 'string' ? options.apiKey.trim() : undefined;
    },
    secret: () => options.secret,
    'handoff.resolveSubject': () => {
      const resolve = options.handoff?.resolveSubject;
      if (resolve !== undefined && typeof resolve !== 'function') {
        problems.push('handoff.resolveSubject must be a function (request) => subject | null');
        return undefined;
      }
      return resolve;
    },
    authMode: () => {
      problems.push(...modeProblems);
      return mode;
    },
    caPem: () => caPem(problems, options),
    compatibleWith: () => compatibleWith(problems, options.compatibleWith),
    encryptionKeys: () => {
      const keys = parseEncryptionKeys(options.encryptionKeys);
      problems.push(...keys.problems);
      return keys.keys;
    },
    'admin.keys': () => {
      const keys = parseAdminKeys(options.admin?.keys);
      problems.push(...keys.problems);
      return keys.keys;
    },
    'changeFeed.listenUrl': () => listenUrl(problems, options.changeFeed?.listenUrl),
    'changeFeed.mode': () => changeFeedMode(problems, options.changeFeed?.mode),
  };
  const resolved: Record<string, unknown> = {};
  // In the table's order, so problems are listed as docs/configuration.md lists the options.
  for (const row of SFS_OPTION_TABLE) {
    const value = sfsValueAt(options, row.path);
    let result: unknown;
    if (row.kind === 'integer') {
      result = integer(problems, sfsOptionLabel(row), value, row.default, row.min, row.max);
    } else if (row.kind === 'boolean') {
      result = flag(problems, sfsOptionLabel(row), value, row.default);
    } else {
      // `environment` and `caFile` are inputs of other checks, not resolved options.
      if (row.path === 'environment' || row.path === 'caFile') continue;
      result = checks[row.path] ? checks[row.path]() : value;
    }
    sfsSetValueAt(resolved, row.path, result);
  }
  if (problems.length > 0) throw new SfsAuthConfigError(problems);
  return resolved as SfsAuthResolvedOptions;
}
