import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    // tenant ids are up to 128 characters (Fastify's default maxParamLength is 100)
    new FastifyAdapter({ routerOptions: { maxParamLength: 1024 }, trustProxy: false }),
  );
  app.enableShutdownHooks(); // on SIGTERM, workers drain and the platform token is revoked
  await app.listen(process.env.PORT ?? 3000);
  console.log(`fastify-host listening on ${await app.getUrl()}`);
}

void bootstrap();
