import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  SFS_AUTH_ENTITIES,
  SFS_AUTH_MIGRATIONS,
  SfsAuthModule,
  sfsAuthOptionsFromEnv,
  type SfsAuthModuleOptions,
} from '../index';
import { DemoController } from './demo.controller';
import { demoPoolFromEnv, demoTuningFromEnv } from './demo-tuning';
import { demoMetrics } from './metrics/demo-metrics.providers';
import { DemoMetricsController } from './metrics/metrics.controller';
import { DemoDocsController } from './demo-docs.controller';
import { DemoPageController } from './demo-page.controller';
import { DemoSessions } from './demo-session';
import {
  DEMO_HEALTH,
  DemoHealthController,
  demoHealthDetailsFromEnv,
} from './demo-health.controller';

/** How to build the demo app. */
export interface DemoAppOptions {
  /** Environment read through `@nestjs/config` (`DATABASE_URL`, `SFS_*`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `sandbox` when the demo started the SFS sandbox, `external` with `SFS_BASE_URL`. */
  readonly sfs: 'sandbox' | 'external';
  /** `forRootAsync` with `@nestjs/config` (the default), or `forRoot` with options read up front. */
  readonly wiring?: 'forRoot' | 'forRootAsync';
  /** Options merged over the environment's (tests: fast retries, workers off...). */
  readonly overrides?: Partial<SfsAuthModuleOptions>;
}

/** The demo host app: what a real multi-tenant host imports, plus demo login/logout and health. */
@Module({})
export class DemoAppModule {
  static register(options: DemoAppOptions): DynamicModule {
    const metrics = demoMetrics();
    const sessions = new DemoSessions(options.env.SFS_ENCRYPTION_KEYS ?? 'demo');
    const overrides = {
      // With OTEL_DEMO the module's default recorder (SfsOtelMetricsRecorder) takes the metrics.
      ...(options.env.OTEL_DEMO ? {} : { metrics: metrics.recorder }),
      ...demoTuningFromEnv(options.env),
      // The browser hand-off: the demo's session cookie says who is signed in.
      handoff: { resolveSubject: (request: unknown) => sessions.subjectOf(request) },
      ...options.overrides,
    };
    const sfsAuth =
      options.wiring === 'forRoot'
        ? SfsAuthModule.forRoot({
            ...sfsAuthOptionsFromEnv(options.env),
            ...overrides,
            adminApi: { console: true },
          })
        : SfsAuthModule.forRootAsync({
            adminApi: { console: true },
            imports: [ConfigModule],
            inject: [ConfigService],
            useFactory: (config: ConfigService) => ({
              ...sfsAuthOptionsFromEnv(config),
              ...overrides,
            }),
          });
    return {
      module: DemoAppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          load: [() => ({ ...options.env })],
        }),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            type: 'postgres',
            url: config.getOrThrow<string>('DATABASE_URL'),
            entities: [...SFS_AUTH_ENTITIES],
            migrations: [...SFS_AUTH_MIGRATIONS],
            migrationsRun: true,
            // The migrations use gen_random_uuid() (PostgreSQL 13+), no extension needed.
            installExtensions: false,
            retryAttempts: 3,
            ...demoPoolFromEnv(options.env),
          }),
        }),
        ScheduleModule.forRoot(),
        EventEmitterModule.forRoot(),
        TerminusModule,
        sfsAuth,
      ],
      controllers: [
        DemoController,
        DemoDocsController,
        DemoPageController,
        DemoHealthController,
        DemoMetricsController,
      ],
      providers: [
        {
          provide: DEMO_HEALTH,
          useValue: { sfs: options.sfs, details: demoHealthDetailsFromEnv(options.env) },
        },
        ...metrics.providers,
        { provide: DemoSessions, useValue: sessions },
      ],
    };
  }
}
