import { userInfo } from 'node:os';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SfsAuthConfigError, SfsAuthError } from '../sfs-auth/errors/sfs-auth.error';
import { sfsDriverCode, sfsErrorDetail } from '../sfs-auth/errors/safe-error';
import { resolveSfsAuthOptions } from '../sfs-auth/options/resolve-sfs-auth-options';
import { sfsAuthOptionsFromEnv } from '../sfs-auth/options/sfs-auth-options-from-env';
import type { SfsAuthModuleOptions } from '../sfs-auth/options/sfs-auth-options.interface';
import { SFS_AUTH_ENTITIES } from '../sfs-auth/persistence/entities';
import { SfsAuthModule } from '../sfs-auth/sfs-auth.module';
import { CliFailure } from './cli-command';
import type { CliIo } from './cli-io';

/** Connections the operator commands hold at most (they run one statement at a time). */
const POOL_SIZE = 2;

/**
 * The module as the deployment configures it from its environment (`sfsAuthOptionsFromEnv`), but
 * with no worker running and the change feed polling: the commands call the module's services
 * once and leave the background work (SFS calls included) to the deployment's instances.
 */
export function operatorModuleOptions(
  env: Readonly<Record<string, string | undefined>>,
): SfsAuthModuleOptions {
  const options = sfsAuthOptionsFromEnv(env);
  return {
    ...options,
    workers: { ...options.workers, enabled: false },
    changeFeed: { ...options.changeFeed, mode: 'poll' },
  };
}

/** What the deployment's host module imports, on `url`, with the operator's module options. */
@Module({})
class SfsOperatorModule {
  static register(url: string, options: SfsAuthModuleOptions): DynamicModule {
    return {
      module: SfsOperatorModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url,
          entities: [...SFS_AUTH_ENTITIES],
          // Schema changes are the deployment's (migrationsRun, or npm run migration:run).
          migrationsRun: false,
          installExtensions: false,
          retryAttempts: 1,
          connectTimeoutMS: 10_000,
          applicationName: 'nestjs-sfs-auth cli',
          extra: { max: POOL_SIZE },
        }),
        ScheduleModule.forRoot(),
        EventEmitterModule.forRoot(),
        SfsAuthModule.forRoot(options),
      ],
    };
  }
}

/**
 * Runs `use` with a Nest application context of the module on `DATABASE_URL`, closed afterwards
 * (whatever happens). A configuration the module refuses, or a database it cannot reach, is a
 * {@link CliFailure} stating why (no driver message: those may hold a URL).
 */
export async function withOperatorApp<T>(
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
  use: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const url = env.DATABASE_URL;
  if (!url) throw new CliFailure('DATABASE_URL is not set');
  const options = operatorModuleOptions(env);
  try {
    resolveSfsAuthOptions(options);
  } catch (error) {
    if (error instanceof SfsAuthConfigError) throw new CliFailure(error.message);
    throw error;
  }

  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(SfsOperatorModule.register(url, options), {
      logger: io.nestLogger(),
      abortOnError: false,
    });
  } catch (error) {
    throw new CliFailure(`the module did not start: ${describeStartFailure(error)}`);
  }
  try {
    return await use(app);
  } finally {
    await app.close().catch(() => undefined);
  }
}

function describeStartFailure(error: unknown): string {
  if (error instanceof SfsAuthError) return `${error.code} ${error.message}`;
  const code = sfsDriverCode(error);
  return code ? `the database refused or did not answer (${code})` : sfsErrorDetail(error);
}

/** Who acts, in the audit trail: `cli:<the operating-system user>`. */
export function operatorActor(): string {
  let user = 'unknown';
  try {
    user =
      userInfo()
        .username.replace(/[^A-Za-z0-9._@-]/g, '_')
        .slice(0, 64) || user;
  } catch {
    // No user entry (a container's arbitrary uid): the audit trail still says it was the CLI.
  }
  return `cli:${user}`;
}
