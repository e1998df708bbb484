/**
 * `nestjs-sfs-auth`: the public API, what a host uses. Everything not exported here (or from
 * `nestjs-sfs-auth/testing`, `src/sandbox/index.ts`, and `nestjs-sfs-auth/browser`) is internal
 * and may change in any release. Every name below is marked `@publicApi` with a `@group` where it
 * is declared; `docs/public-api.md` lists them by group and `test/docs/public-api.spec.ts` holds
 * this entry, the module's `exports` and those tags together.
 *
 * @packageDocumentation
 * @module nestjs-sfs-auth
 */

// Module: the module, its extras and options.
export { SfsAuthModule } from './sfs-auth/sfs-auth.module';
export type { SfsAuthModuleExtras } from './sfs-auth/sfs-auth.module-definition';

// Options: the options object, its groups, and the environment mapping.
export type {
  SfsAuthModuleOptions,
  SfsRetryOptions,
  SfsCallOptions,
  SfsCacheOptions,
  SfsDataKeyOptions,
  SfsWorkerOptions,
  SfsAdminOptions,
  SfsHandoffOptions,
  SfsHandoffSubject,
  SfsRetentionOptions,
  SfsHealthOptions,
  SfsChangeFeedOptions,
} from './sfs-auth/options/sfs-auth-options.interface';
export { sfsAuthOptionsFromEnv } from './sfs-auth/options/sfs-auth-options-from-env';

// Tokens: what host services call (the module exports both services).
export { SfsTokenService, type SfsClientToken } from './sfs-auth/host-api/sfs-token.service';
export type { SfsCallAuth } from './sfs-auth/host-api/call-auth.service';
export type { SfsClientTokenRequest, SfsRevokeRequest } from './sfs-auth/model/token-inputs';
export type { SfsReencryptReport } from './sfs-auth/crypto/token-reencryption.service';
export { SfsApiClient } from './sfs-auth/host-api/sfs-api.client';

// Events: the names, and the payload classes.
export {
  SFS_AUTH_EVENTS,
  SfsLoginEvent,
  SfsLogoutEvent,
  SfsTokenEventBase,
  SfsTokenIssuedEvent,
  SfsTokenRefreshedEvent,
  SfsTokenRevokedEvent,
  SfsTokenFailedEvent,
  SfsTokenLateAnswerEvent,
  SfsTenantOffboardedEvent,
} from './sfs-auth/events/sfs-auth-events';

// Errors a host catches (every other failure is an `SfsAuthError` with its `code`).
export {
  SfsAuthError,
  SfsAuthConfigError,
  SfsApiError,
  SfsInvalidInputError,
  SfsTenantOffboardedError,
  type SfsAuthErrorCode,
} from './sfs-auth/errors/sfs-auth.error';

// Ports a host may implement or replace (interface + same-name injection token).
export { SfsClock } from './sfs-auth/clock/clock';
export {
  SfsCredentialsResolver,
  type SfsCredentials,
} from './sfs-auth/options/credentials-resolver';
export {
  SfsAdminAuthorizer,
  type SfsAdminDecision,
  type SfsAdminRequest,
} from './sfs-auth/options/admin-authorizer';
export {
  SfsKeyWrapper,
  type SfsKeyWrapContext,
  type SfsWrappedKey,
} from './sfs-auth/options/key-wrapper';
export { SfsMetricsRecorder, type SfsCallObservation } from './sfs-auth/options/metrics-recorder';
// The shipped implementations a host builds itself.
export { SfsStaticKeyAdminAuthorizer } from './sfs-auth/admin/static-key.authorizer';
export { SfsOtelMetricsRecorder } from './sfs-auth/metrics/otel-metrics.recorder';
export { SfsPrometheusMetricsRecorder } from './sfs-auth/metrics/prometheus-metrics.recorder';

// Admin API pieces a host's own code uses: the filter for a host-level filter, and the identifier
// rule for the host's own DTOs.
export { SfsAdminExceptionFilter } from './sfs-auth/admin/admin-exception.filter';
export { IsSfsIdentifier } from './sfs-auth/admin/dto/admin-validators';

// Persistence: the schema, for the host's TypeORM data source.
export { SFS_AUTH_ENTITIES } from './sfs-auth/persistence/entities';
export { SFS_AUTH_MIGRATIONS } from '../migrations';

// Health.
export { SfsAuthHealthIndicator } from './sfs-auth/health/sfs-auth.health-indicator';
export type { SfsAuthHealthGauges } from './sfs-auth/model/health-gauges';
