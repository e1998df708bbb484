import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Counter, Registry } from 'prom-client';
import request from 'supertest';
import { DEMO_METRICS_REGISTRY, DemoMetricsController } from './metrics.controller';

describe('DemoMetricsController', () => {
  let app: INestApplication;
  const registry = new Registry();

  beforeAll(async () => {
    new Counter({ name: 'demo_hits_total', help: 'hits', registers: [registry] }).inc(7);
    const moduleRef = await Test.createTestingModule({
      controllers: [DemoMetricsController],
      providers: [{ provide: DEMO_METRICS_REGISTRY, useValue: registry }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(() => app.close());

  it('GET /metrics answers the registry in the Prometheus text format', async () => {
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    // Express reorders the parameters when it adds the charset; Prometheus reads them by name.
    const type = response.headers['content-type'].split(/;\s*/).sort();
    expect(type).toEqual(registry.contentType.split(/;\s*/).sort());
    expect(type).toEqual(['charset=utf-8', 'text/plain', 'version=0.0.4']);
    expect(response.text).toContain('\ndemo_hits_total 7\n');
  });
});
