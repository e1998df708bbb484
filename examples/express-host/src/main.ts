import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks(); // on SIGTERM, workers drain and the platform token is revoked
  await app.listen(process.env.PORT ?? 3000);
  console.log(`express-host listening on ${await app.getUrl()}`);
}

void bootstrap();
