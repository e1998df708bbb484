/**
 * The host app of the rolling-upgrade test (test/upgrade/main.ts): the same source runs against
 * the previous release and the current one, so it uses only names both export. Transpiled (not
 * type-checked) into each release's host folder and run there with plain `node`.
 *
 * `HOST_MODE=migrate` applies the installed release's migrations and exits (what an operator's
 * `typeorm migration:run` does); otherwise it serves on `PORT`:
 *   POST /login/:tenant/:user  → the user's client token (minted once)
 *   GET  /token/:tenant/:user  → the same, as a backend call would get it
 *   POST /logout/:tenant/:user → the logout event (204 once the module has queued the revocation)
 *   GET  /ready                → 200 once up
 * Any error is a 500 (Nest's default): the test counts them.
 */
import 'reflect-metadata';
import { Controller, Get, HttpCode, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  SFS_AUTH_ENTITIES,
  SFS_AUTH_EVENTS,
  SFS_AUTH_MIGRATIONS,
  SfsAuthModule,
  SfsLogoutEvent,
  SfsTokenService,
  sfsAuthOptionsFromEnv,
} from 'nestjs-sfs-auth';
import { DataSource } from 'typeorm';

const CLIENT_KEY = 'upgrade-app';

@Controller()
class SessionController {
  constructor(
    private readonly tokens: SfsTokenService,
    private readonly events: EventEmitter2,
  ) {}

  @Get('ready')
  ready(): { ok: true; release: string } {
    return { ok: true, release: process.env.HOST_RELEASE ?? 'unknown' };
  }

  @Post('login/:tenant/:user')
  login(@Param('tenant') tenant: string, @Param('user') user: string) {
    return this.token(tenant, user);
  }

  @Get('token/:tenant/:user')
  async token(@Param('tenant') tenant: string, @Param('user') user: string) {
    const token = await this.tokens.getClientToken({
      tenantId: tenant,
      clientKey: CLIENT_KEY,
      subjectId: user,
    });
    return { tokenId: token.tokenId, token: token.accessToken, expiresAt: token.expiresAt };
  }

  @Post('logout/:tenant/:user')
  @HttpCode(204)
  async logout(@Param('tenant') tenant: string, @Param('user') user: string): Promise<void> {
    await this.events.emitAsync(SFS_AUTH_EVENTS.logout, new SfsLogoutEvent(tenant, user));
  }
}

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: [...SFS_AUTH_ENTITIES],
      migrations: [...SFS_AUTH_MIGRATIONS],
      migrationsRun: false,
    }),
    ScheduleModule.forRoot(),
    EventEmitterModule.forRoot(),
    SfsAuthModule.forRootAsync({ useFactory: () => sfsAuthOptionsFromEnv(process.env) }),
  ],
  controllers: [SessionController],
})
class HostModule {}

async function migrate(): Promise<void> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: process.env.DATABASE_URL,
    migrations: [...SFS_AUTH_MIGRATIONS],
  });
  await dataSource.initialize();
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  console.log(`migrations applied: ${applied.map((m) => m.name).join(', ') || 'none'}`);
}

async function serve(): Promise<void> {
  const app = await NestFactory.create(HostModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  console.log(`listening on ${process.env.PORT} (${process.env.HOST_RELEASE})`);
}

(process.env.HOST_MODE === 'migrate' ? migrate() : serve()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
