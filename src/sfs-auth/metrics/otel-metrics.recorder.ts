import { SFS_CHANGE_FEED_MODES, SFS_GAUGES, sharedGaugesRead } from './gauges-source';
import type {
  SfsCallObservation,
  SfsMetricOperation,
  SfsMetricOutcome,
  SfsMetricsRecorder,
  SfsGaugesSource,
  SfsHandoffMetric,
} from '../options/metrics-recorder';
import { loadOptionalPeer } from '../common/optional-peer';
import { sfsRequirePeer } from '../options/config-assertions';

/**
 * Attributes of one measurement.
 *
 * @inline
 */
type Attributes = Record<string, string | number>;

/**
 * An observable instrument, as `@opentelemetry/api` hands it out.
 *
 * @inline
 */
export type SfsOtelObservable = object;

/**
 * The slice of an OpenTelemetry `Meter` this adapter uses; `@opentelemetry/api`'s `Meter` fits.
 * Typed here so the package's types never name an optional peer.
 *
 * @inline
 */
export interface SfsOtelMeter {
  createHistogram(
    name: string,
    options?: object,
  ): { record(value: number, attributes?: Attributes): void };
  createCounter(
    name: string,
    options?: object,
  ): { add(value: number, attributes?: Attributes): void };
  createObservableGauge(name: string, options?: object): SfsOtelObservable;
  addBatchObservableCallback(
    callback: (result: {
      observe(observable: SfsOtelObservable, value: number, attributes?: Attributes): void;
    }) => void | Promise<void>,
    observables: SfsOtelObservable[],
  ): void;
}

interface OtelApi {
  metrics: { getMeter(name: string, version?: string): SfsOtelMeter };
}

/**
 * Options of {@link SfsOtelMetricsRecorder}.
 *
 * @inline
 */
export interface SfsOtelMetricsOptions {
  /** The meter to record on. @default the global meter provider's `nestjs-sfs-auth` meter */
  readonly meter?: SfsOtelMeter;
  /** `server.address` of the SFS calls (the module passes its base URL's host). */
  readonly serverAddress?: string;
  /** `server.port` of the SFS calls. */
  readonly serverPort?: number;
  /** Time for the age gauge, ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** Bucket boundaries (seconds) the semantic conventions advise for `http.client.request.duration`. */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** Whether `@opentelemetry/api` is installed in the host. */
export function sfsOtelApiAvailable(): boolean {
  return loadOptionalPeer<OtelApi>('@opentelemetry/api') !== undefined;
}

/**
 * An {@link SfsMetricsRecorder} on OpenTelemetry metrics (`@opentelemetry/api`, an optional peer;
 * the module's default when it is installed and no `metrics` option is given). Instruments:
 * `http.client.request.duration` (histogram, s; `http.request.method`, `server.address`,
 * `http.response.status_code` or `error.type`, `sfs.call`), `sfs_auth.operations` (counter;
 * `sfs_auth.operation`, `sfs_auth.outcome`), `sfs_auth.admin.auth_alarms`, `sfs_auth.handoff` (`sfs_auth.event`) and `sfs_auth.late_answers` counters, and gauges `sfs_auth.overdue_refreshes`,
 * `sfs_auth.pending_revocations`, `sfs_auth.failed_revocations`, `sfs_auth.failed_tokens`,
 * `sfs_auth.active_tokens`, `sfs_auth.oldest_pending_revocation_age` (s), `sfs_auth.change_feed_lag`
 * (s) and `sfs_auth.change_feed.mode` (`sfs_auth.mode`). No attribute holds token
 * material. Without an SDK registered the API records nothing, at no cost worth measuring.
 *
 * @group Ports
 * @publicApi
 */
export class SfsOtelMetricsRecorder implements SfsMetricsRecorder {
  private readonly meter: SfsOtelMeter;
  private readonly duration: ReturnType<SfsOtelMeter['createHistogram']>;
  private readonly operations: ReturnType<SfsOtelMeter['createCounter']>;
  private readonly adminAuthAlarms: ReturnType<SfsOtelMeter['createCounter']>;
  private readonly handoff: ReturnType<SfsOtelMeter['createCounter']>;
  private readonly lateAnswers: ReturnType<SfsOtelMeter['createCounter']>;
  private readonly server: Attributes;
  private gaugesRegistered = false;

  constructor(private readonly options: SfsOtelMetricsOptions = {}) {
    const meter = sfsRequirePeer(
      options.meter ??
        loadOptionalPeer<OtelApi>('@opentelemetry/api')?.metrics.getMeter('nestjs-sfs-auth'),
      'SfsOtelMetricsRecorder needs @opentelemetry/api or a meter',
    );
    this.meter = meter;
    this.duration = meter.createHistogram('http.client.request.duration', {
      description: 'Duration of HTTP client requests (each attempt to SFS)',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.operations = meter.createCounter('sfs_auth.operations', {
      description: 'Token operations by outcome (ok, retry: transient and retried later, failed)',
    });
    this.adminAuthAlarms = meter.createCounter('sfs_auth.admin.auth_alarms', {
      description:
        "Windows in which one tenant's failed admin authentications reached the alarm limit",
    });
    this.handoff = meter.createCounter('sfs_auth.handoff', {
      description: 'Browser hand-off: tokens served, streams opened/closed/refused, pushes',
    });
    this.lateAnswers = meter.createCounter('sfs_auth.late_answers', {
      description: 'Client tokens SFS issued after the request timed out (recorded and revoked)',
    });
    this.server = {
      ...(options.serverAddress ? { 'server.address': options.serverAddress } : {}),
      ...(options.serverPort ? { 'server.port': options.serverPort } : {}),
    };
  }

  countOperation(operation: SfsMetricOperation, outcome: SfsMetricOutcome): void {
    this.operations.add(1, { 'sfs_auth.operation': operation, 'sfs_auth.outcome': outcome });
  }

  countAdminAuthAlarm(): void {
    this.adminAuthAlarms.add(1, {});
  }

  countLateAnswer(): void {
    this.lateAnswers.add(1, {});
  }

  countHandoff(event: SfsHandoffMetric): void {
    this.handoff.add(1, { 'sfs_auth.event': event });
  }

  observeSfsCall(observation: SfsCallObservation): void {
    const answer: Attributes =
      observation.status > 0
        ? { 'http.response.status_code': observation.status }
        : { 'error.type': 'network' };
    this.duration.record(observation.durationMs / 1000, {
      'http.request.method': 'POST',
      ...this.server,
      ...answer,
      ...(observation.status >= 400 ? { 'error.type': String(observation.status) } : {}),
      'sfs.call': observation.call,
    });
  }

  /** Registers the gauges; one gauges read per collection. Nothing is observed when it fails. */
  observeGauges(source: SfsGaugesSource): void {
    if (this.gaugesRegistered) return;
    this.gaugesRegistered = true;
    const read = sharedGaugesRead(source);
    const now = this.options.now ?? Date.now;
    const gauges = SFS_GAUGES.map((gauge) => ({
      gauge,
      observable: this.meter.createObservableGauge(`sfs_auth.${gauge.name}`, {
        description: gauge.help,
        ...(gauge.unit ? { unit: gauge.unit } : {}),
      }),
    }));
    const mode = this.meter.createObservableGauge('sfs_auth.change_feed.mode', {
      description: 'Change feed mode in use: 1 for it (listen, poll or degraded), 0 for the others',
    });
    this.meter.addBatchObservableCallback(
      async (result) => {
        const values = await read();
        if (!values) return;
        for (const { gauge, observable } of gauges) {
          const value = gauge.value(values, now());
          if (!Number.isNaN(value)) result.observe(observable, value);
        }
        for (const name of SFS_CHANGE_FEED_MODES) {
          result.observe(mode, Number(values.changeFeed.mode === name), { 'sfs_auth.mode': name });
        }
      },
      [...gauges.map((g) => g.observable), mode],
    );
  }
}
