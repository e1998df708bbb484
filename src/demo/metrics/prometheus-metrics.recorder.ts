import { Counter, Histogram, type Registry } from 'prom-client';
import type {
  SfsCallObservation,
  SfsMetricOperation,
  SfsMetricOutcome,
  SfsMetricsRecorder,
} from '../../index';

const OPERATIONS: readonly SfsMetricOperation[] = ['mint', 'refresh', 'revoke'];
const OUTCOMES: readonly SfsMetricOutcome[] = ['ok', 'retry', 'failed'];

/**
 * Seconds. SFS answers in tens of milliseconds when healthy; the top buckets reach the default
 * 10 s request timeout, so timeouts land in a bucket instead of only in `+Inf`.
 */
export const SFS_CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The demo's {@link SfsMetricsRecorder}: `sfs_auth_operations_total{operation,outcome}` and
 * `sfs_auth_sfs_call_duration_seconds{call,status}` on the given prom-client registry.
 */
export class PrometheusMetricsRecorder implements SfsMetricsRecorder {
  private readonly operations: Counter<'operation' | 'outcome'>;
  private readonly calls: Histogram<'call' | 'status'>;

  constructor(registry: Registry) {
    this.operations = new Counter({
      name: 'sfs_auth_operations_total',
      help: 'Token operations by outcome (ok, retry: transient and retried later, failed)',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    });
    this.calls = new Histogram({
      name: 'sfs_auth_sfs_call_duration_seconds',
      help: 'Duration of each HTTP attempt to SFS by call and status (0: no answer)',
      labelNames: ['call', 'status'],
      buckets: SFS_CALL_BUCKETS,
      registers: [registry],
    });
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
}
