import {
  Module,
  Inject,
  Injectable,
  type OnModuleDestroy,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { SfsAuthHealthIndicator } from '../health/sfs-auth.health-indicator';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { sfsMetricsRecorderFor } from './guarded-metrics.recorder';
import { SfsMetricsRecorder } from '../options/metrics-recorder';

/**
 * Hands the recorder a reader of the module-wide gauges, for its gauges. Once the module is
 * closing the reader fails at once (the gauges report nothing): a host's SDK flushes its metrics
 * at its own shutdown, after the app's, when the database may be gone and a read would hang.
 *
 * @internal
 */
@Injectable()
export class SfsMetricsGaugesRegistration implements OnModuleInit, OnModuleDestroy {
  private closing = false;

  constructor(
    @Inject(SfsMetricsRecorder) private readonly recorder: SfsMetricsRecorder,
    private readonly health: SfsAuthHealthIndicator,
  ) {}

  onModuleInit(): void {
    this.recorder.observeGauges?.(() =>
      this.closing ? Promise.reject(new Error('the module is closed')) : this.health.gauges(),
    );
  }

  onModuleDestroy(): void {
    this.closing = true;
  }
}

/** Binds the {@link SfsMetricsRecorder} port (see `sfsMetricsRecorderFor`). */
export const SFS_METRICS_PROVIDERS: Provider[] = [
  {
    provide: SfsMetricsRecorder,
    inject: [SFS_AUTH_RESOLVED_OPTIONS],
    useFactory: (
      options: Pick<SfsAuthResolvedOptions, 'baseUrl' | 'metrics'>,
    ): SfsMetricsRecorder => sfsMetricsRecorderFor(options),
  },
];

/**
 * The gauges, registered with the recorder once the health indicator can read them.
 *
 * @internal
 */
@Module({ providers: [SfsMetricsGaugesRegistration] })
export class SfsMetricsGaugesModule {}
