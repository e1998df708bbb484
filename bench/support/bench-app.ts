import { ConsoleLogger, type INestApplication } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SfsAuthModule, SfsClock, SfsTokenService, type SfsAuthModuleOptions } from '../../src';
import { hostTypeOrmOptions } from '../../test/support/host-typeorm';
import { createDemoAdapter, type DemoPlatform } from '../../src/demo/demo-platform';
import type { BenchEnvironment } from './bench-environment';

/** How to build one host-like app (one module instance with its own connection pool). */
export interface BenchAppConfig {
  readonly databaseUrl: string;
  /** Merged over {@link benchModuleOptions}. */
  readonly options?: Partial<SfsAuthModuleOptions>;
  /** Replaces the module's clock (the `SfsClock` provider). */
  readonly clock?: SfsClock;
  /** Connections in this app's pool. @default 10 */
  readonly poolSize?: number;
  /** Mount the tenant admin REST API. @default false */
  readonly adminApi?: boolean;
  /** The HTTP platform (the demo's adapter of it). @default 'express' */
  readonly platform?: DemoPlatform;
}

/** A running host-like app and what the figures drive. */
export interface BenchApp {
  readonly app: INestApplication;
  readonly tokens: SfsTokenService;
  readonly dataSource: DataSource;
}

/** Module options pointing at the environment's sandbox, with the timer workers off. */
export function benchModuleOptions(
  env: BenchEnvironment,
  extra: Partial<SfsAuthModuleOptions> = {},
): SfsAuthModuleOptions {
  const account = env.sandbox.accounts[0];
  return {
    baseUrl: env.sandbox.url,
    apiKey: account.apiKey,
    secret: account.secret,
    caPem: env.sandbox.caPem,
    encryptionKeys: env.encryptionKeys,
    ...extra,
    workers: { enabled: false, ...extra.workers },
  };
}

/**
 * A host-like Nest app as a real host builds it: TypeORM (schema from the module's migrations),
 * the schedule and event-emitter modules and `SfsAuthModule.forRoot`, loggers off. Apps on the
 * same database must be created one after the other (each runs the migrations).
 */
export async function createBenchApp(
  env: BenchEnvironment,
  config: BenchAppConfig,
): Promise<BenchApp> {
  let builder = Test.createTestingModule({
    imports: [
      // A bench database that cannot be reached is an error at once, not after retries.
      TypeOrmModule.forRoot(
        hostTypeOrmOptions(config.databaseUrl, { poolSize: config.poolSize, retryAttempts: 0 }),
      ),
      ScheduleModule.forRoot(),
      EventEmitterModule.forRoot(),
      SfsAuthModule.forRoot({
        ...benchModuleOptions(env, config.options),
        adminApi: config.adminApi ?? false,
      }),
    ],
  });
  if (config.clock) builder = builder.overrideProvider(SfsClock).useValue(config.clock);
  // Errors while compiling are thrown to the caller; Nest's own logging of them stays quiet.
  const moduleRef = await builder.setLogger(new ConsoleLogger({ logLevels: [] })).compile();
  const app = moduleRef.createNestApplication(createDemoAdapter(config.platform ?? 'express'), {
    logger: false,
  });
  await app.init();
  return { app, tokens: app.get(SfsTokenService), dataSource: app.get(DataSource) };
}

/** Closes apps one after the other (each drains its workers before its pool closes). */
export async function closeBenchApps(apps: ReadonlyArray<BenchApp | undefined>): Promise<void> {
  for (const bench of apps) await bench?.app.close();
}
