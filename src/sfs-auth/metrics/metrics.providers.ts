import type { Provider } from '@nestjs/common';
import type { SfsAuthResolvedOptions } from '../options/sfs-auth-options.interface';
import { SFS_AUTH_RESOLVED_OPTIONS } from '../sfs-auth.module-definition';
import { sfsMetricsRecorderFor } from './guarded-metrics.recorder';
import { SfsMetricsRecorder } from './metrics-recorder';

/** Binds the {@link SfsMetricsRecorder} port to `options.metrics` (guarded) or a no-op. */
export const SFS_METRICS_PROVIDERS: Provider[] = [
  {
    provide: SfsMetricsRecorder,
    inject: [SFS_AUTH_RESOLVED_OPTIONS],
    useFactory: (options: SfsAuthResolvedOptions): SfsMetricsRecorder =>
      sfsMetricsRecorderFor(options),
  },
];
