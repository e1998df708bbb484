/**
 * `nestjs-sfs-auth`: the public API, what a host uses. Everything not exported here (or from
 * `nestjs-sfs-auth/testing`, `src/sandbox/index.ts`) is internal and may change in any release.
 */

// The module and its options.
export { SfsAuthModule } from './sfs-auth/sfs-auth.module';
export type { SfsAdminApiExtras, SfsAuthModuleExtras } from './sfs-auth/sfs-auth.module-definition';
export type {
  SfsAuthMode,
  SfsAuthModuleOptions,
  SfsCacheOptions,
  SfsChangeFeedMode,
  SfsCompatibleRelease,
  SfsChangeFeedOptions,
  SfsDataKeyOptions,
  SfsEncryptionKeyInput,
  SfsRetryOptions,
  SfsWorkerOptions,
  SfsAdminOptions,
  SfsHandoffOptions,
  SfsHandoffSubject,
  SfsRetentionOptions,
  SfsHealthOptions,
} from './sfs-auth/options/sfs-auth-options.interface';
export type { SfsHandedToken, SfsSessionEvent } from './sfs-auth/handoff/session-token.service';
export {
  sfsAuthOptionsFromEnv,
  type SfsEnvSource,
} from './sfs-auth/options/sfs-auth-options-from-env';

// What host services call.
export {
  SfsTokenService,
  type SfsCallAuth,
  type SfsClientToken,
} from './sfs-auth/host-api/sfs-token.service';
export type { SfsClientTokenRequest, SfsRevokeRequest } from './sfs-auth/model/token-inputs';
export type { SfsTokenStatus } from './sfs-auth/model/token-record';
export type { SfsReencryptReport } from './sfs-auth/crypto/token-reencryption.service';
export { SfsApiClient } from './sfs-auth/host-api/sfs-api.client';

// Events.
export {
  SFS_AUTH_EVENTS,
  SfsLoginEvent,
  SfsLogoutEvent,
  SfsTokenEventBase,
  SfsTokenFailedEvent,
  SfsTokenLateAnswerEvent,
  SfsTokenIssuedEvent,
  SfsTokenRefreshedEvent,
  SfsTokenRevokedEvent,
  SfsTenantOffboardedEvent,
  type SfsOffboardingFailure,
  type SfsOffboardingStatus,
  type SfsTokenOperation,
} from './sfs-auth/events/sfs-auth-events';

// Errors.
export {
  SfsApiError,
  SfsAuthConfigError,
  SfsAuthError,
  SfsInvalidInputError,
  SfsTokenNotFoundError,
  SfsAdminAccessError,
  SfsTokenNotActiveError,
  SfsTenantOffboardedError,
  type SfsAuthErrorCode,
} from './sfs-auth/errors/sfs-auth.error';

// Ports a host may implement, with their shipped defaults.
export { SfsClock } from './sfs-auth/clock/clock';
export {
  SfsCredentialsResolver,
  SfsStaticCredentialsResolver,
  type SfsCredentials,
} from './sfs-auth/options/credentials-resolver';
export {
  SfsAdminAuthorizer,
  type SfsAdminAction,
  type SfsAdminDecision,
  type SfsAdminRequest,
} from './sfs-auth/options/admin-authorizer';
export {
  SfsStaticKeyAdminAuthorizer,
  type SfsStaticKeyAdminAuthorizerOptions,
} from './sfs-auth/admin/static-key.authorizer';
export {
  SfsKeyWrapper,
  type SfsKeyWrapContext,
  type SfsWrappedKey,
} from './sfs-auth/options/key-wrapper';
export { SfsRingKeyWrapper } from './sfs-auth/crypto/ring-key.wrapper';
export {
  SfsMetricsRecorder,
  type SfsCallObservation,
  type SfsMetricOperation,
  type SfsMetricOutcome,
  type SfsFiguresSource,
} from './sfs-auth/options/metrics-recorder';
export {
  SfsOtelMetricsRecorder,
  type SfsOtelMeter,
  type SfsOtelMetricsOptions,
  type SfsOtelObservable,
} from './sfs-auth/metrics/otel-metrics.recorder';
export {
  SfsPrometheusMetricsRecorder,
  type SfsPrometheusMetricsOptions,
} from './sfs-auth/metrics/prometheus-metrics.recorder';

// Admin API pieces a host's own code uses: the error shape for a host-level filter, and the
// identifier rule for the host's own DTOs.
export {
  SfsAdminExceptionFilter,
  type SfsAdminErrorBody,
} from './sfs-auth/admin/admin-exception.filter';
export { IsSfsIdentifier } from './sfs-auth/admin/dto/admin-validators';

// Schema.
export { SFS_AUTH_ENTITIES } from './sfs-auth/persistence/entities';
export { SFS_AUTH_MIGRATIONS } from '../migrations';

// Health.
export {
  SfsAuthHealthIndicator,
  type SfsHealthCheckOptions,
  type SfsHealthIndicatorResult,
} from './sfs-auth/health/sfs-auth.health-indicator';
export type { SfsHealthDetails, SfsHealthProblem } from './sfs-auth/health/sfs-auth.health-verdict';
export type {
  SfsAuthHealthFigures,
  SfsChangeFeedStatus,
  SfsTokenHealthFigures,
} from './sfs-auth/model/health-figures';
