import type { SfsAuthHealthFigures } from '../model/health-figures';

/** Reads the module-wide figures (the module passes `SfsAuthHealthIndicator.figures`). */
export type SfsFiguresSource = () => Promise<SfsAuthHealthFigures>;

/** What the module counts. */
export type SfsMetricOperation = 'mint' | 'refresh' | 'revoke';

/** How an operation ended: `ok`, a transient failure (retried later) or a permanent one. */
export type SfsMetricOutcome = 'ok' | 'retry' | 'failed';

/** One SFS HTTP call: which wire call, its HTTP status (0: no answer) and how long it took. */
export interface SfsCallObservation {
  readonly call: 'platform_token' | 'platform_revoke' | 'client_token' | 'client_revoke' | 'api';
  readonly status: number;
  readonly durationMs: number;
}

/** What the browser hand-off did: tokens served or refused, streams opened, closed or refused, pushes. */
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
 * revocations...) are read on demand: the module calls `observeFigures` once at start with a
 * reader of `SfsAuthHealthIndicator.figures()`, for the recorder to register its gauges.
 */
export interface SfsMetricsRecorder {
  countOperation(operation: SfsMetricOperation, outcome: SfsMetricOutcome): void;
  observeSfsCall(observation: SfsCallObservation): void;
  /** Optional: register gauges that read the module-wide figures when collected. */
  observeFigures?(source: SfsFiguresSource): void;
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
/** Injection token of the {@link SfsMetricsRecorder} port (defaults to a no-op). */
export const SfsMetricsRecorder = Symbol('SfsMetricsRecorder');
