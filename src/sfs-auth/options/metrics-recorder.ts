import type { SfsAuthHealthGauges } from '../model/health-gauges';

/**
 * Reads the module-wide gauges (the module passes `SfsAuthHealthIndicator.gauges`).
 *
 * @inline
 */
export type SfsGaugesSource = () => Promise<SfsAuthHealthGauges>;

/**
 * What the module counts.
 *
 * @inline
 */
export type SfsMetricOperation = 'mint' | 'refresh' | 'revoke';

/**
 * How an operation ended: `ok`, a transient failure (retried later) or a permanent one.
 *
 * @inline
 */
export type SfsMetricOutcome = 'ok' | 'retry' | 'failed';

/**
 * One SFS HTTP call: which wire call, its HTTP status (0: no answer) and how long it took.
 *
 * @group Ports
 * @publicApi
 */
export interface SfsCallObservation {
  /** The wire call: platform or client token creation or revocation, or a host's `SfsApiClient.call`. */
  readonly call: 'platform_token' | 'platform_revoke' | 'client_token' | 'client_revoke' | 'api';
  /** The HTTP status SFS answered with; 0 when there was none (timeout, reset, refused). */
  readonly status: number;
  /** From the request to the answer or the failure, in ms (the wait for a free slot left out). */
  readonly durationMs: number;
}

/**
 * What the browser hand-off did: tokens served or refused, streams opened, closed or refused, pushes.
 *
 * @inline
 */
export type SfsHandoffMetric =
  | 'served'
  | 'unauthenticated'
  | 'stream_opened'
  | 'stream_closed'
  | 'stream_refused'
  | 'pushed_token'
  | 'pushed_revoked';

/** Every {@link SfsHandoffMetric}, for recorders that create their series up front. */
export const SFS_HANDOFF_METRICS: readonly SfsHandoffMetric[] = [
  'served',
  'unauthenticated',
  'stream_opened',
  'stream_closed',
  'stream_refused',
  'pushed_token',
  'pushed_revoked',
];

/**
 * Port: where the module reports what it does, so the host can publish it (Prometheus, StatsD...).
 * Implementations must be cheap and must not throw. Gauges (overdue refreshes, pending
 * revocations...) are read on demand: the module calls `observeGauges` once at start with a
 * reader of `SfsAuthHealthIndicator.gauges()`, for the recorder to register its gauges.
 *
 * @group Ports
 * @publicApi
 */
export interface SfsMetricsRecorder {
  /** One mint, refresh or revocation ended, as `outcome` says. */
  countOperation(operation: SfsMetricOperation, outcome: SfsMetricOutcome): void;
  /** One HTTP attempt at SFS ended (each retry is an attempt of its own). */
  observeSfsCall(observation: SfsCallObservation): void;
  /** Optional: register gauges that read the module-wide gauges when collected. */
  observeGauges?(source: SfsGaugesSource): void;
  /**
   * Optional: one tenant's failed admin authentications, across every client, reached
   * `admin.authFailureAlarmLimit` within `admin.authFailureWindowMs` (counted once per window;
   * an alert, nobody is locked out).
   */
  countAdminAuthAlarm?(): void;
  /** Optional: SFS issued a client token after the request timed out (recorded and revoked). */
  countLateAnswer?(): void;
  /** Optional: one event of the browser hand-off (open streams: opened − closed). */
  countHandoff?(event: SfsHandoffMetric): void;
}
/**
 * Injection token of the {@link SfsMetricsRecorder} port (defaults to a no-op).
 *
 * @group Ports
 * @publicApi
 */
export const SfsMetricsRecorder = Symbol('SfsMetricsRecorder');
