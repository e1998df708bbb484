import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  SFS_AUTH_ENTITIES,
  SFS_AUTH_MIGRATIONS,
  SfsAuthModule,
  sfsAuthOptionsFromEnv,
} from 'nestjs-sfs-auth';
import { HostEventLog } from './host-event.log';

/** A fresh host's module, wired exactly as the README's "Wiring" shows. */
@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: [...SFS_AUTH_ENTITIES],
      migrations: [...SFS_AUTH_MIGRATIONS],
      migrationsRun: true,
      installExtensions: false,
    }),
    ScheduleModule.forRoot(),
    EventEmitterModule.forRoot(),
    SfsAuthModule.forRootAsync({
      adminApi: true,
      useFactory: () => sfsAuthOptionsFromEnv(process.env),
    }),
  ],
  providers: [HostEventLog],
})
export class AppModule {}
