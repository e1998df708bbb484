import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { SfsAuthHealthIndicator } from '../index';

/** What the demo is connected to, for `/health` (never credentials). */
export const DEMO_CONNECTIONS = Symbol('DEMO_CONNECTIONS');
/** Where the demo's database and SFS are, as shown by `/health`. */
export interface DemoConnections {
  readonly database: string;
  readonly sfs: string;
}

/** `GET /health`: `{ status: 'ok', db, sfs, details }`, or 503 with the same shape. */
@ApiTags('operations')
@Controller('health')
export class DemoHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly sfsHealth: SfsAuthHealthIndicator,
    @Inject(DEMO_CONNECTIONS) private readonly connections: DemoConnections,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Database reachable, refreshes on time, revocations confirmed' })
  @ApiOkResponse({ description: "{ status: 'ok', db, sfs, details }" })
  @ApiServiceUnavailableResponse({ description: "{ status: 'error', db, sfs, details }" })
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
      sfs: this.connections.sfs,
      database: this.connections.database,
      details,
    };
  }
}
