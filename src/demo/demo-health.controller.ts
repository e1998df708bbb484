import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { SfsAuthHealthIndicator } from '../index';

/** What `/health` may say, for {@link DemoHealthController}. */
export const DEMO_HEALTH = Symbol('DEMO_HEALTH');
/** What `/health` may say: never a URL, a file path, credentials or (unless asked) a count. */
export interface DemoHealthSettings {
  /** `sandbox` when the demo started the SFS sandbox, `external` with `SFS_BASE_URL`. */
  readonly sfs: 'sandbox' | 'external';
  /**
   * Whether anyone may read the module's gauges (token and revocation counts, ages, change-feed
   * mode): `SFS_DEMO_HEALTH_DETAILS=true`, for a private network. Otherwise up/down only.
   */
  readonly details: boolean;
}

/** Reads {@link DemoHealthSettings.details} from the environment. */
export function demoHealthDetailsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return /^(true|1|yes)$/i.test(env.SFS_DEMO_HEALTH_DETAILS ?? '');
}

/**
 * `GET /health`: `{ status: 'ok', db: 'up', sfs }`, or 503 with `status: 'error'`. The gauges
 * behind the verdict (`details`) only with `SFS_DEMO_HEALTH_DETAILS=true`: they count every
 * tenant's tokens, which is not for an unauthenticated caller.
 */
@ApiTags('operations')
@Controller('health')
export class DemoHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly sfsHealth: SfsAuthHealthIndicator,
    @Inject(DEMO_HEALTH) private readonly settings: DemoHealthSettings,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Database reachable, refreshes on time, revocations confirmed' })
  @ApiOkResponse({
    description: "{ status: 'ok', db, sfs } (details with SFS_DEMO_HEALTH_DETAILS)",
  })
  @ApiServiceUnavailableResponse({ description: "{ status: 'error', db, sfs }" })
  async check(): Promise<Record<string, unknown>> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([() => this.sfsHealth.isHealthy('sfs-auth')]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const body = error.getResponse() as HealthCheckResult;
      throw new ServiceUnavailableException(this.shape(body));
    }
    return this.shape(result);
  }

  private shape(result: HealthCheckResult): Record<string, unknown> {
    const details = result.details['sfs-auth'] ?? {};
    return {
      status: result.status,
      db: details.db === 'down' ? 'down' : 'up',
      sfs: this.settings.sfs,
      ...(this.settings.details ? { details } : {}),
    };
  }
}
