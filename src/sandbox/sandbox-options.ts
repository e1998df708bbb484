import { randomBytes } from 'node:crypto';
import type {
  SfsSandboxAccount,
  SfsSandboxDialect,
  SfsSandboxLifetimes,
  SfsSandboxOptions,
  SfsSandboxRevokeStatuses,
} from './sfs-sandbox.types';
import { assertLifetime } from './sandbox-token.registry';

/** Options with every default applied. */
export interface ResolvedSandboxOptions {
  accounts: SfsSandboxAccount[];
  lifetimes: SfsSandboxLifetimes;
  port: number;
  now: () => number;
  revokeStatuses: Required<SfsSandboxRevokeStatuses>;
  controlKey: string;
  dialect?: SfsSandboxDialect;
}

/**
 * The lifetime SFS documents for a platform token, used for both kinds by default.
 *
 * @group Testing
 * @publicApi
 */
export const SFS_SANDBOX_DEFAULT_LIFETIME_SECONDS = 1800;

/** A fresh random account: `sbx_` API key and a 256-bit secret. */
export function generateSandboxAccount(): SfsSandboxAccount {
  return {
    apiKey: `sbx_${randomBytes(12).toString('hex')}`,
    secret: randomBytes(32).toString('base64url'),
  };
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Applies defaults and checks the options; throws a `TypeError`/`RangeError` naming the option. */
export function resolveSandboxOptions(options: SfsSandboxOptions = {}): ResolvedSandboxOptions {
  const accounts = (options.accounts ?? [generateSandboxAccount()]).map((a) => ({
    ...a,
    ...(a.clientKeys ? { clientKeys: [...a.clientKeys] } : {}),
  }));
  if (accounts.length === 0) throw new TypeError('accounts must not be empty');
  for (const account of accounts) {
    if (!nonEmpty(account.apiKey) || !nonEmpty(account.secret)) {
      throw new TypeError('every account needs a non-empty apiKey and secret');
    }
  }
  if (new Set(accounts.map((a) => a.apiKey)).size !== accounts.length) {
    throw new TypeError('account apiKeys must be unique');
  }
  const lifetimes = {
    platform: options.platformTokenLifetimeSeconds ?? SFS_SANDBOX_DEFAULT_LIFETIME_SECONDS,
    client: options.clientTokenLifetimeSeconds ?? SFS_SANDBOX_DEFAULT_LIFETIME_SECONDS,
  };
  assertLifetime('platformTokenLifetimeSeconds', lifetimes.platform);
  assertLifetime('clientTokenLifetimeSeconds', lifetimes.client);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('port: 0-65535');
  const revokeStatuses = {
    unknown: 404,
    alreadyRevoked: 201,
    expired: 201,
    ...options.revokeStatuses,
  };
  for (const [name, status] of Object.entries(revokeStatuses)) {
    if (!Number.isInteger(status) || status < 200 || status > 599 || status === 204) {
      throw new RangeError(`revokeStatuses.${name} must be a status 200-599 other than 204`);
    }
  }
  if (options.controlKey !== undefined && !nonEmpty(options.controlKey)) {
    throw new TypeError('controlKey must not be empty');
  }
  return {
    accounts,
    lifetimes,
    port,
    now: options.now ?? Date.now,
    revokeStatuses,
    controlKey: options.controlKey ?? randomBytes(24).toString('base64url'),
    dialect: options.dialect,
  };
}
