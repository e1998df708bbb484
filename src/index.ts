/** `nestjs-sfs-auth`: the public API. Everything not exported here is internal. */
export { SfsAuthModule } from './sfs-auth/sfs-auth.module';
export {
  SFS_AUTH_MODULE_OPTIONS,
  type SfsAuthModuleExtras,
} from './sfs-auth/sfs-auth.module-definition';
export type {
  SfsAuthMode,
  SfsAuthModuleOptions,
  SfsCacheOptions,
  SfsEncryptionKeyInput,
  SfsRetryOptions,
  SfsWorkerOptions,
} from './sfs-auth/options/sfs-auth-options.interface';
export {
  resolveSfsAuthOptions,
  SFS_AUTH_DEFAULTS,
} from './sfs-auth/options/resolve-sfs-auth-options';
export {
  sfsAuthOptionsFromEnv,
  type SfsEnvSource,
} from './sfs-auth/options/sfs-auth-options-from-env';
export {
  SfsApiError,
  SfsAuthConfigError,
  SfsAuthError,
  SfsInvalidInputError,
  SfsTokenNotFoundError,
  type SfsAuthErrorCode,
} from './sfs-auth/errors/sfs-auth.error';
export { SfsClock, SfsManualClock, SfsSystemClock } from './sfs-auth/clock/clock';
export {
  SfsCredentialsResolver,
  SfsStaticCredentialsResolver,
  type SfsCredentials,
} from './sfs-auth/sfs/credentials-resolver';
export { SfsPlatformTokenProvider } from './sfs-auth/sfs/platform-token.provider';
export { SfsApiClient } from './sfs-auth/client/sfs-api.client';
export {
  SfsTokenService,
  type SfsCallAuth,
  type SfsClientToken,
} from './sfs-auth/tokens/sfs-token.service';
export type { SfsClientTokenRequest, SfsRevokeRequest } from './sfs-auth/tokens/token-inputs';
export type { SfsTokenStatus } from './sfs-auth/tokens/token-record';
export { SfsRefreshWorker } from './sfs-auth/scheduling/refresh.worker';
export { SfsRevocationWorker } from './sfs-auth/scheduling/revocation.worker';
export type { SfsRefreshOutcome, SfsRefreshReport } from './sfs-auth/tokens/token-refresh.service';
export type {
  SfsRevocationOutcome,
  SfsRevocationReport,
} from './sfs-auth/tokens/token-revocation.service';
export {
  SFS_AUTH_EVENTS,
  SfsLoginEvent,
  SfsLogoutEvent,
  SfsTokenEventBase,
  SfsTokenFailedEvent,
  SfsTokenIssuedEvent,
  SfsTokenRefreshedEvent,
  SfsTokenRevokedEvent,
  type SfsTokenOperation,
} from './sfs-auth/events/sfs-auth-events';
export { SFS_AUTH_ENTITIES } from './sfs-auth/persistence/entities';
export { SFS_AUTH_MIGRATIONS } from '../migrations';
