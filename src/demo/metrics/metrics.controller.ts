import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Registry } from 'prom-client';

/** Injection token of the prom-client `Registry` that `GET /metrics` exposes. */
export const DEMO_METRICS_REGISTRY = Symbol('DEMO_METRICS_REGISTRY');

/** The part of the HTTP response the controller touches (any platform's response has it). */
interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/** `GET /metrics`: the registry in the Prometheus exposition format. */
@ApiTags('operations')
@Controller('metrics')
export class DemoMetricsController {
  constructor(@Inject(DEMO_METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics: operations, SFS call latency, token gauges' })
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  metrics(@Res({ passthrough: true }) response: HeaderSink): Promise<string> {
    // The registry knows its format (Prometheus text or OpenMetrics); a fixed header could lie.
    response.setHeader('Content-Type', this.registry.contentType);
    return this.registry.metrics();
  }
}
