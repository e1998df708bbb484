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
  SfsChangeFeedMode,
  SfsChangeFeedOptions,
  SfsEncryptionKeyInput,
  SfsRetryOptions,
  SfsWorkerOptions,
  SfsAdminOptions,
  SfsRetentionOptions,
  SfsHealthOptions,
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
  SfsAdminAccessError,
  SfsTokenNotActiveError,
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
export { SfsRetentionWorker } from './sfs-auth/scheduling/retention.worker';
export type { SfsRetentionReport } from './sfs-auth/retention/retention.service';
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
export {
  SfsAdminAuthorizer,
  type SfsAdminDecision,
  type SfsAdminRequest,
} from './sfs-auth/admin/admin-authorizer';
export { SfsStaticKeyAdminAuthorizer } from './sfs-auth/admin/static-key.authorizer';
export { SfsTokenAdminService } from './sfs-auth/admin/token-admin.service';
export {
  SfsAdminExceptionFilter,
  type SfsAdminErrorBody,
} from './sfs-auth/admin/admin-exception.filter';
export { IsSfsIdentifier } from './sfs-auth/admin/dto/admin-validators';
export { sfsAdminValidationPipe } from './sfs-auth/admin/admin-validation.pipe';
export {
  SFS_ADMIN_ROUTE,
  SfsAdminTokensController,
} from './sfs-auth/admin/admin-tokens.controller';
export {
  SFS_TOKEN_STATUSES,
  SfsBulkRevokeBodyDto,
  SfsListTokensQueryDto,
  SfsMintTokenBodyDto,
  SfsPageQueryDto,
  SfsTenantParamsDto,
  SfsTokenParamsDto,
} from './sfs-auth/admin/dto/admin-requests.dto';
export {
  SfsAdminErrorDto,
  SfsRevokedCountDto,
  SfsTenantSummaryDto,
  SfsTokenCountsDto,
  SfsTokenDetailDto,
  SfsTokenEventDto,
  SfsTokenEventListDto,
  SfsTokenListDto,
  SfsTokenRecordDto,
} from './sfs-auth/admin/dto/admin-responses.dto';
export {
  SfsMetricsRecorder,
  type SfsCallObservation,
  type SfsMetricOperation,
  type SfsMetricOutcome,
} from './sfs-auth/metrics/metrics-recorder';
export {
  SfsAuthHealthIndicator,
  type SfsAuthHealthFigures,
  type SfsHealthCheckOptions,
} from './sfs-auth/health/sfs-auth.health-indicator';
export type { SfsChangeFeedStatus } from './sfs-auth/persistence/token.store';
export type { SfsHealthDetails, SfsHealthProblem } from './sfs-auth/health/sfs-auth.health-verdict';
export type { SfsTokenHealthFigures } from './sfs-auth/persistence/token-read.model';
