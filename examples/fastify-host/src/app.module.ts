import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SFS_AUTH_ENTITIES, SFS_AUTH_MIGRATIONS, SfsAuthModule, sfsAuthOptionsFromEnv } from 'nestjs-sfs-auth';
import { ContractsController } from './contracts.controller';
import { ContractsService } from './contracts.service';

// The README's wiring, line for line, plus the host's own service and its route.
@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: [...SFS_AUTH_ENTITIES],
      migrations: [...SFS_AUTH_MIGRATIONS],
      migrationsRun: true,
      installExtensions: false, // the schema uses gen_random_uuid() (PostgreSQL 13+), no uuid-ossp
    }),
    ScheduleModule.forRoot(),
    EventEmitterModule.forRoot(),
    SfsAuthModule.forRootAsync({
      adminApi: true, // mount the tenant admin REST API (needs an authorizer or SFS_ADMIN_KEYS)
      useFactory: () => sfsAuthOptionsFromEnv(process.env),
    }),
  ],
  controllers: [ContractsController],
  providers: [ContractsService],
})
export class AppModule {}
