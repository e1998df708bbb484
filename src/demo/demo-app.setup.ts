import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DemoEdgeExceptionFilter } from './demo-edge-exception.filter';

/** How to set the demo app up. */
export interface DemoSetupOptions {
  /**
   * Serve the Swagger UI at `/docs` besides the document at `/docs/openapi.json`. On Fastify the
   * UI's files come through `@fastify/static`, which Jest cannot load (an ESM dependency): the
   * Fastify e2e suites turn it off. @default true
   */
  readonly swaggerUi?: boolean;
}

/** What `main.ts` and the e2e tests both do to the demo app before `listen`/`init`. */
export function setupDemoApp(app: INestApplication, options: DemoSetupOptions = {}): void {
  app.useGlobalFilters(new DemoEdgeExceptionFilter(app.get(HttpAdapterHost)));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('nestjs-sfs-auth demo')
      .setDescription(
        'Tenant admin API of nestjs-sfs-auth, plus the demo host routes (no real user ' +
          'authentication: demo only). Admin routes take `Authorization: Bearer <admin key>`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    swaggerUiEnabled: options.swaggerUi ?? true,
  });
}
