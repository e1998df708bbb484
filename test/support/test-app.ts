import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { INestApplication, LoggerService, ModuleMetadata } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SfsAuthModule, SfsClock, type SfsAuthModuleOptions } from '../../src';
import type { SfsSandbox } from '../../src/sandbox';
import { hostTypeOrmOptions } from './host-typeorm';

/** A fresh key ring entry for tests. */
export function testEncryptionKey(id = 'k1'): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/** Module options pointing at a sandbox, with fast retries and the timer workers off by default. */
export function sandboxOptions(
  sandbox: SfsSandbox,
  extra: Partial<SfsAuthModuleOptions> = {},
): SfsAuthModuleOptions {
  return {
    baseUrl: sandbox.url,
    apiKey: sandbox.accounts[0].apiKey,
    secret: sandbox.accounts[0].secret,
    caPem: sandbox.caPem,
    encryptionKeys: testEncryptionKey(),
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 50 },
    requestTimeoutMs: 2000,
    workers: { enabled: false },
    ...extra,
  };
}

/** How to build a host-like app for a test. */
export interface TestAppOptions {
  databaseUrl: string;
  options: SfsAuthModuleOptions;
  clock?: SfsClock;
  logger?: LoggerService | false;
  /** More of the host: e.g. `TerminusModule` and a controller of the test's own. */
  host?: Pick<ModuleMetadata, 'imports' | 'controllers'>;
}

/**
 * A host-like Nest app: TypeORM on the test database (schema from the migrations), the schedule and
 * event-emitter modules, and SfsAuthModule. Call `app.close()` when done.
 */
export async function createTestApp(config: TestAppOptions): Promise<INestApplication> {
  let builder = Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot(hostTypeOrmOptions(config.databaseUrl)),
      ScheduleModule.forRoot(),
      EventEmitterModule.forRoot(),
      SfsAuthModule.forRoot(config.options),
      ...(config.host?.imports ?? []),
    ],
    controllers: config.host?.controllers,
  });
  if (config.clock) builder = builder.overrideProvider(SfsClock).useValue(config.clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: config.logger ?? false });
  await app.init();
  return app;
}
