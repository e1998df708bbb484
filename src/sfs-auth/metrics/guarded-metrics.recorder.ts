import { Logger } from '@nestjs/common';
import { describeError } from '../scheduling/work-loop';
import type {
  SfsCallObservation,
  SfsMetricOperation,
  SfsMetricOutcome,
  SfsMetricsRecorder,
} from './metrics-recorder';

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
    try {
      this.inner.countOperation(operation, outcome);
    } catch (error) {
      this.failed(error);
    }
  }

  observeSfsCall(observation: SfsCallObservation): void {
    try {
      this.inner.observeSfsCall(observation);
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(
      `the metrics recorder threw (${describeError(error)}); further failures are silent`,
    );
  }
}

/** The recorder of a module: the host's `metrics` option (guarded) or the no-op one. */
export function sfsMetricsRecorderFor(options: {
  readonly metrics?: SfsMetricsRecorder;
}): SfsMetricsRecorder {
  return options.metrics
    ? new SfsGuardedMetricsRecorder(options.metrics)
    : SFS_NOOP_METRICS_RECORDER;
}
