import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DemoEdgeExceptionFilter } from './demo-edge-exception.filter';

/**
 * What `main.ts` and the e2e tests both do to the demo app before `listen`/`init`: the edge error
 * filter and the OpenAPI document at `/docs/openapi.json` (the UI at `/docs` is
 * `DemoDocsController`'s, which serves only the files the page loads).
 */
export function setupDemoApp(app: INestApplication): void {
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
    ui: false,
    raw: ['json'],
  });
}
