import type { INestApplication, LoggerService } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { SfsTokenService, type SfsAuthModuleOptions } from '../../src';
import { SfsManualClock, SfsSandbox } from '../../src/sandbox';
import { SfsRefreshWorker } from '../../src/sfs-auth/refresh/refresh.worker';
import { SfsRevocationWorker } from '../../src/sfs-auth/revocation/revocation.worker';
import { createTestApp, sandboxOptions } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';

/** One host-like app instance and the services a test drives. */
export interface TestInstance {
  app: INestApplication;
  tokens: SfsTokenService;
  refresh: SfsRefreshWorker;
  revocation: SfsRevocationWorker;
  events: EventEmitter2;
  db: DataSource;
}

/**
 * A sandbox, a database and any number of module instances sharing one manual clock (the sandbox
 * reads the same clock, so expiry agrees on both sides).
 */
export class TokenFixture {
  readonly clock = new SfsManualClock(Date.UTC(2026, 10, 28, 12));
  sandbox!: SfsSandbox;
  database!: TestDatabase;
  readonly instances: TestInstance[] = [];
  options!: SfsAuthModuleOptions;

  async start(
    label: string,
    sandboxLifetimeSeconds = 1800,
    extra: Partial<SfsAuthModuleOptions> = {},
  ): Promise<void> {
    this.sandbox = await SfsSandbox.start({
      now: () => this.clock.now(),
      clientTokenLifetimeSeconds: sandboxLifetimeSeconds,
    });
    this.database = await createTestDatabase(label);
    this.options = sandboxOptions(this.sandbox, extra);
  }

  /** A new instance; `via` reaches the database another way (e.g. through PgBouncer). */
  async addInstance(
    extra: Partial<SfsAuthModuleOptions> = {},
    via: { databaseUrl?: string; logger?: LoggerService } = {},
  ): Promise<TestInstance> {
    const app = await createTestApp({
      databaseUrl: via.databaseUrl ?? this.database.url,
      options: { ...this.options, ...extra },
      clock: this.clock,
      logger: via.logger,
    });
    const instance: TestInstance = {
      app,
      tokens: app.get(SfsTokenService),
      refresh: app.get(SfsRefreshWorker),
      revocation: app.get(SfsRevocationWorker),
      events: app.get(EventEmitter2),
      db: app.get(DataSource),
    };
    this.instances.push(instance);
    return instance;
  }

  async closeInstance(instance: TestInstance): Promise<void> {
    this.instances.splice(this.instances.indexOf(instance), 1);
    await instance.app.close();
  }

  async stop(): Promise<void> {
    for (const instance of [...this.instances]) await this.closeInstance(instance);
    await this.sandbox?.close();
    await this.database?.drop();
  }

  /** Every row of a table, as the database holds it. */
  async rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.instances[0].db.query(sql, params);
  }
}

/**
 * A fixture with one instance for the enclosing `describe`: started before its tests (see
 * {@link TokenFixture.start}), stopped after them. `a` stands for that instance once `beforeAll`
 * ran; it is a stand-in, so pass `f.instances[0]`, not `a`, where identity matters
 * (`closeInstance`).
 */
export function useTokenFixture(
  label: string,
  sandboxLifetimeSeconds = 1800,
  extra: Partial<SfsAuthModuleOptions> = {},
): { f: TokenFixture; a: TestInstance } {
  const f = new TokenFixture();
  let instance: TestInstance | undefined;
  beforeAll(async () => {
    await f.start(label, sandboxLifetimeSeconds, extra);
    instance = await f.addInstance();
  });
  afterAll(() => f.stop());
  const a = new Proxy({} as TestInstance, {
    get: (_target, property) => {
      if (!instance) throw new Error(`fixture ${label} used outside its hooks and tests`);
      return Reflect.get(instance, property) as unknown;
    },
  });
  return { f, a };
}
