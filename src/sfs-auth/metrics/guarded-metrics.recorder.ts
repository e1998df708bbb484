import { Logger } from '@nestjs/common';
import { sfsErrorDetail } from '../errors/safe-error';
import { SfsOtelMetricsRecorder, sfsOtelApiAvailable } from './otel-metrics.recorder';
import type {
  SfsCallObservation,
  SfsMetricOperation,
  SfsMetricOutcome,
  SfsMetricsRecorder,
  SfsGaugesSource,
  SfsHandoffMetric,
} from '../options/metrics-recorder';

/** The recorder used when the host gives none: records nothing. */
export const SFS_NOOP_METRICS_RECORDER: SfsMetricsRecorder = {
  countOperation: () => undefined,
  observeSfsCall: () => undefined,
};

/**
 * Wraps the host's recorder so that a throwing one can never break a token operation or an SFS
 * call: failures are swallowed and logged once (a broken exporter would otherwise log per call).
 */
export class SfsGuardedMetricsRecorder implements SfsMetricsRecorder {
  private readonly logger = new Logger('SfsMetricsRecorder');
  private warned = false;

  constructor(private readonly inner: SfsMetricsRecorder) {}

  countOperation(operation: SfsMetricOperation, outcome: SfsMetricOutcome): void {
    this.safely(() => this.inner.countOperation(operation, outcome));
  }

  observeSfsCall(observation: SfsCallObservation): void {
    this.safely(() => this.inner.observeSfsCall(observation));
  }

  observeGauges(source: SfsGaugesSource): void {
    this.safely(() => this.inner.observeGauges?.(source));
  }

  countAdminAuthAlarm(): void {
    this.safely(() => this.inner.countAdminAuthAlarm?.());
  }

  countLateAnswer(): void {
    this.safely(() => this.inner.countLateAnswer?.());
  }

  countHandoff(event: SfsHandoffMetric): void {
    this.safely(() => this.inner.countHandoff?.(event));
  }

  /** Runs one call of the host's recorder; a throw is logged once and goes no further. */
  private safely(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(
      `the metrics recorder threw (${sfsErrorDetail(error)}); further failures are silent`,
    );
  }
}

/**
 * The recorder of a module: the host's `metrics` option, else OpenTelemetry when the host has
 * `@opentelemetry/api` (it records through whatever SDK the host registers, or nowhere), else
 * nothing. Always guarded.
 */
export function sfsMetricsRecorderFor(options: {
  readonly metrics?: SfsMetricsRecorder;
  readonly baseUrl?: string;
}): SfsMetricsRecorder {
  if (options.metrics) return new SfsGuardedMetricsRecorder(options.metrics);
  if (!sfsOtelApiAvailable()) return SFS_NOOP_METRICS_RECORDER;
  const url = options.baseUrl ? new URL(options.baseUrl) : undefined;
  return new SfsGuardedMetricsRecorder(
    new SfsOtelMetricsRecorder({
      serverAddress: url?.hostname,
      serverPort: url ? Number(url.port || 443) : undefined,
    }),
  );
}
