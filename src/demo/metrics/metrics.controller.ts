import { Controller, Get, Inject, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Registry } from 'prom-client';

/** Injection token of the prom-client `Registry` that `GET /metrics` exposes. */
export const DEMO_METRICS_REGISTRY = Symbol('DEMO_METRICS_REGISTRY');

/** `GET /metrics`: the registry in the Prometheus exposition format. */
@ApiTags('operations')
@Controller('metrics')
export class DemoMetricsController {
  constructor(
    @Inject(DEMO_METRICS_REGISTRY) private readonly registry: Registry,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics: operations, SFS call latency, token gauges' })
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  metrics(@Res({ passthrough: true }) response: unknown): Promise<string> {
    // The registry knows its format (Prometheus text or OpenMetrics); a fixed header could lie.
    // Through Nest's adapter: Express's and Fastify's responses set headers differently.
    this.adapterHost.httpAdapter.setHeader(response, 'Content-Type', this.registry.contentType);
    return this.registry.metrics();
  }
}
