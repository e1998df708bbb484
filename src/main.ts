/**
 * `npm start`: the demo host app. With nothing set it starts an embedded PostgreSQL under `.data/`,
 * the SFS sandbox, and generates a dev encryption key and demo admin keys (kept under `.data/`).
 * With `DATABASE_URL` and `SFS_*` set it uses those instead, with no code change.
 */
import { NestFactory } from '@nestjs/core';
import { DemoAppModule } from './demo/demo-app.module';
import { setupDemoApp } from './demo/demo-app.setup';
import { createDemoAdapter, demoPlatformFromEnv } from './demo/demo-platform';
import { printDemoBanner } from './demo/demo-banner';
import { startDemoOtel } from './demo/demo-otel';
import { startDemoRuntime } from './demo/demo-runtime';

async function main(): Promise<void> {
  const started = performance.now();
  // Before anything that records: the module resolves its tracer and meter when it is built.
  const otel = await startDemoOtel(process.env);
  const runtime = await startDemoRuntime(process.env);
  let closing: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    closing ??= (async () => {
      console.log(`${signal}: draining workers and stopping...`);
      await app?.close().catch((error: unknown) => console.error('close failed:', name(error)));
      await runtime.stop();
      await otel?.shutdown();
      console.log('stopped');
      process.exit(0);
    })();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  let app: Awaited<ReturnType<typeof NestFactory.create>> | undefined;
  try {
    const platform = demoPlatformFromEnv(runtime.env);
    app = await NestFactory.create(
      DemoAppModule.register({
        env: runtime.env,
        sfs: runtime.sandbox ? 'sandbox' : 'external',
      }),
      createDemoAdapter(platform),
      { logger: ['log', 'warn', 'error'], abortOnError: false },
    );
    setupDemoApp(app);
    const port = Number(runtime.env.PORT ?? 3000);
    await app.listen(port, '127.0.0.1');
    printDemoBanner(runtime, port, performance.now() - started, platform, otel?.describe);
  } catch (error) {
    console.error('demo failed to start:', error instanceof Error ? error.message : error);
    await app?.close().catch(() => undefined);
    await runtime.stop();
    await otel?.shutdown();
    process.exit(1);
  }
}

function name(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}

void main();
