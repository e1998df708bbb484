import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { SfsPlatformTokenProvider } from '../sfs/platform-token.provider';
import { SfsTokenApi } from '../sfs/sfs-token.api';

/** Waits between background attempts (about 2 minutes in all), after the first, awaited one. */
export const SFS_DISCARD_RETRY_DELAYS_MS: readonly number[] = [
  500, 1000, 2000, 4000, 8000, 15000, 30000, 60000,
];

/**
 * Revokes client tokens SFS issued but the module could not record (the database went away
 * mid-mint, the commit was refused), so no live token exists that the module does not know. There
 * is no row to hold an outbox entry, so a failed attempt is retried in memory, in the background,
 * with backoff; the first attempt is awaited by the caller.
 */
@Injectable()
export class SfsUnstoredTokenDiscarder implements OnApplicationShutdown {
  private readonly logger = new Logger(SfsUnstoredTokenDiscarder.name);
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly platform: SfsPlatformTokenProvider,
    @Inject(SfsTokenApi) private readonly api: SfsTokenApi,
  ) {}

  /** Revokes `accessToken` now; on a transient failure keeps trying in the background. */
  async discard(tenantId: string, accessToken: string): Promise<void> {
    await this.attempt(tenantId, accessToken, 0);
  }

  onApplicationShutdown(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    if (this.timers.size > 0) {
      this.logger.warn(`${this.timers.size} unrecorded token(s) left to expire at shutdown`);
    }
    this.timers.clear();
  }

  private async attempt(tenantId: string, accessToken: string, attempt: number): Promise<void> {
    try {
      await this.platform.withPlatformToken(tenantId, (platformToken) =>
        this.api.revokeClientToken(platformToken, accessToken, { tenantId }),
      );
    } catch (error) {
      const code = error instanceof SfsAuthError ? error.code : 'error';
      const wait = SFS_DISCARD_RETRY_DELAYS_MS[attempt];
      if (wait === undefined || (error instanceof SfsAuthError && !error.retryable)) {
        this.logger.warn(
          `tenant ${tenantId}: a token minted for an unrecorded row could not be revoked (${code}); ` +
            'it expires on its own',
        );
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.attempt(tenantId, accessToken, attempt + 1);
      }, wait);
      timer.unref();
      this.timers.add(timer);
    }
  }
}
