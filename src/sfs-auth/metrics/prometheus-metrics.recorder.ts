import { SFS_CHANGE_FEED_MODES, SFS_GAUGES, sharedGaugesRead } from './gauges-source';
import type {
  SfsCallObservation,
  SfsMetricOperation,
  SfsMetricOutcome,
  SfsMetricsRecorder,
  SfsGaugesSource,
  SfsHandoffMetric,
} from '../options/metrics-recorder';
import { SFS_HANDOFF_METRICS } from '../options/metrics-recorder';
import { loadOptionalPeer } from '../common/optional-peer';
import { sfsRequirePeer } from '../options/config-assertions';

const OPERATIONS: readonly SfsMetricOperation[] = ['mint', 'refresh', 'revoke'];
const OUTCOMES: readonly SfsMetricOutcome[] = ['ok', 'retry', 'failed'];

/**
 * Seconds. SFS answers in tens of milliseconds when healthy; the top buckets reach the default
 * 10 s request timeout, so timeouts land in a bucket instead of only in `+Inf`.
 */
export const SFS_CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The slice of `prom-client` this adapter uses (an optional peer of the package). */
interface PromClient {
  Counter: new (config: object) => { inc(labels: Record<string, string>, value?: number): void };
  Histogram: new (config: object) => {
    observe(labels: Record<string, string>, value: number): void;
  };
  Gauge: new (config: object) => unknown;
  register: object;
}

/**
 * Options of {@link SfsPrometheusMetricsRecorder}.
 *
 * @inline
 */
export interface SfsPrometheusMetricsOptions {
  /** A prom-client `Registry` to register on. @default prom-client's global `register` */
  readonly registry?: object;
  /** Time for the age gauge, ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

/**
 * An {@link SfsMetricsRecorder} on `prom-client` (an optional peer: install it to use this):
 * `sfs_auth_operations_total{operation,outcome}`, `sfs_auth_sfs_call_duration_seconds{call,status}`
 * (status 0: no answer), `sfs_auth_admin_auth_alarms_total`, `sfs_auth_handoff_total{event}`, `sfs_auth_late_answers_total` and, once the module passes its gauges, the gauges
 * `sfs_auth_overdue_refreshes`, `sfs_auth_pending_revocations`, `sfs_auth_failed_revocations`,
 * `sfs_auth_failed_tokens`, `sfs_auth_active_tokens`, `sfs_auth_oldest_pending_revocation_age_seconds`,
 * `sfs_auth_change_feed_lag_seconds` and `sfs_auth_change_feed_mode{mode}`.
 *
 * @group Ports
 * @publicApi
 */
export class SfsPrometheusMetricsRecorder implements SfsMetricsRecorder {
  private readonly prom: PromClient;
  private readonly registry: object;
  private readonly operations: InstanceType<PromClient['Counter']>;
  private readonly calls: InstanceType<PromClient['Histogram']>;
  private readonly adminAuthAlarms: InstanceType<PromClient['Counter']>;
  private readonly handoff: InstanceType<PromClient['Counter']>;
  private readonly lateAnswers: InstanceType<PromClient['Counter']>;
  private gaugesRegistered = false;

  constructor(private readonly options: SfsPrometheusMetricsOptions = {}) {
    const prom = sfsRequirePeer(
      loadOptionalPeer<PromClient>('prom-client'),
      'SfsPrometheusMetricsRecorder needs the prom-client package',
    );
    this.prom = prom;
    this.registry = options.registry ?? prom.register;
    this.operations = new prom.Counter({
      name: 'sfs_auth_operations_total',
      help: 'Token operations by outcome (ok, retry: transient and retried later, failed)',
      labelNames: ['operation', 'outcome'],
      registers: [this.registry],
    });
    this.calls = new prom.Histogram({
      name: 'sfs_auth_sfs_call_duration_seconds',
      help: 'Duration of each HTTP attempt to SFS by call and status (0: no answer)',
      labelNames: ['call', 'status'],
      buckets: SFS_CALL_BUCKETS,
      registers: [this.registry],
    });
    this.adminAuthAlarms = new prom.Counter({
      name: 'sfs_auth_admin_auth_alarms_total',
      help: "Windows in which one tenant's failed admin authentications reached the alarm limit",
      registers: [this.registry],
    });
    this.adminAuthAlarms.inc({}, 0);
    this.handoff = new prom.Counter({
      name: 'sfs_auth_handoff_total',
      help: 'Browser hand-off: tokens served, streams opened/closed/refused, pushes (open = opened - closed)',
      labelNames: ['event'],
      registers: [this.registry],
    });
    for (const event of SFS_HANDOFF_METRICS) this.handoff.inc({ event }, 0);
    this.lateAnswers = new prom.Counter({
      name: 'sfs_auth_late_answers_total',
      help: 'Client tokens SFS issued after the request timed out (recorded and revoked)',
      registers: [this.registry],
    });
    this.lateAnswers.inc({}, 0);
    // Every series exists from the start, so rate() and alerts work before the first failure.
    for (const operation of OPERATIONS) {
      for (const outcome of OUTCOMES) this.operations.inc({ operation, outcome }, 0);
    }
  }

  countOperation(operation: SfsMetricOperation, outcome: SfsMetricOutcome): void {
    this.operations.inc({ operation, outcome });
  }

  observeSfsCall(observation: SfsCallObservation): void {
    this.calls.observe(
      { call: observation.call, status: String(observation.status) },
      observation.durationMs / 1000,
    );
  }

  countAdminAuthAlarm(): void {
    this.adminAuthAlarms.inc({});
  }

  countHandoff(event: SfsHandoffMetric): void {
    this.handoff.inc({ event });
  }

  countLateAnswer(): void {
    this.lateAnswers.inc({});
  }

  /** Registers the gauges; each scrape reads the gauges once. NaN when the read fails. */
  observeGauges(source: SfsGaugesSource): void {
    if (this.gaugesRegistered) return;
    this.gaugesRegistered = true;
    const read = sharedGaugesRead(source);
    const now = this.options.now ?? Date.now;
    for (const gauge of SFS_GAUGES) {
      new this.prom.Gauge({
        name: `sfs_auth_${gauge.name}${gauge.unit === 's' ? '_seconds' : ''}`,
        help: gauge.help,
        registers: [this.registry],
        async collect(this: { set(value: number): void }) {
          const gauges = await read();
          this.set(gauges ? gauge.value(gauges, now()) : NaN);
        },
      });
    }
    new this.prom.Gauge({
      name: 'sfs_auth_change_feed_mode',
      help: 'Change feed mode in use: 1 for it (listen, poll or degraded), 0 for the others',
      labelNames: ['mode'],
      registers: [this.registry],
      async collect(this: { set(labels: Record<string, string>, value: number): void }) {
        const gauges = await read();
        for (const mode of SFS_CHANGE_FEED_MODES) {
          this.set({ mode }, gauges ? Number(gauges.changeFeed.mode === mode) : NaN);
        }
      },
    });
  }
}
