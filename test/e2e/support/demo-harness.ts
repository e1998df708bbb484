import { randomBytes } from 'node:crypto';
import type { INestApplication, LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DemoAppModule, type DemoAppOptions } from '../../../src/demo/demo-app.module';
import { setupDemoApp } from '../../../src/demo/demo-app.setup';
import {
  createDemoAdapter,
  DEMO_PLATFORMS,
  type DemoPlatform,
} from '../../../src/demo/demo-platform';
import { SfsClock, type SfsAuthModuleOptions } from '../../../src';
import { SfsManualClock, SfsSandbox } from '../../../src/sandbox';
import { SfsRefreshWorker } from '../../../src/sfs-auth/refresh/refresh.worker';
import { SfsRevocationWorker } from '../../../src/sfs-auth/revocation/revocation.worker';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { testEncryptionKey } from '../../support/test-app';

/** The admin keys of a demo under test: one per tenant, one for every tenant, a read-only one. */
export interface DemoAdminKeys {
  readonly acme: string;
  readonly globex: string;
  readonly all: string;
  /** acme's read-only key (`acme/read=...`). */
  readonly acmeRead: string;
}

const adminKey = (): string => `test_${randomBytes(18).toString('base64url')}`;

/** How to build a {@link DemoHarness}. */
export interface DemoHarnessOptions {
  /** Receives every log of the module compile and the app, all levels. @default no logs */
  readonly logger?: LoggerService;
  /**
   * `SFS_ADMIN_AUTH_FAILURE_LIMIT`. Suites that send many bad keys on purpose from one client
   * keep it out of their way. @default 1000000
   */
  readonly adminAuthFailureLimit?: number;
  /** The host's HTTP platform. @default 'express' */
  readonly platform?: DemoPlatform;
  /** More of the demo's environment (e.g. `SFS_DEMO_HEALTH_DETAILS`). @default none */
  readonly env?: Readonly<Record<string, string>>;
}

export { DEMO_PLATFORMS };

/**
 * The demo host app (`DemoAppModule`, as `npm start` builds it) on a test database and a sandbox
 * that share one manual clock, with the timer workers off so a test runs them with `runOnce()`.
 */
export class DemoHarness {
  readonly clock = new SfsManualClock(Date.UTC(2026, 10, 28, 12));
  readonly keys: DemoAdminKeys = {
    acme: adminKey(),
    globex: adminKey(),
    all: adminKey(),
    acmeRead: adminKey(),
  };
  /** `SFS_ENCRYPTION_KEYS` of the first start (`id:base64key`). */
  readonly encryptionKeys = testEncryptionKey();
  sandbox!: SfsSandbox;
  database!: TestDatabase;
  app!: INestApplication;
  private wiring: DemoAppOptions['wiring'];
  private overrides: Partial<SfsAuthModuleOptions> = {};
  private readonly peers: INestApplication[] = [];

  constructor(private readonly options: DemoHarnessOptions = {}) {}

  get platform(): DemoPlatform {
    return this.options.platform ?? 'express';
  }

  async start(
    label: string,
    wiring: DemoAppOptions['wiring'] = 'forRootAsync',
    overrides: Partial<SfsAuthModuleOptions> = {},
  ): Promise<this> {
    this.sandbox = await SfsSandbox.start({ now: () => this.clock.now() });
    this.database = await createTestDatabase(label);
    this.wiring = wiring;
    this.overrides = overrides;
    await this.boot();
    return this;
  }

  /** Closes the app and starts a new one on the same database and sandbox (e.g. other keys). */
  async restart(overrides: Partial<SfsAuthModuleOptions> = {}): Promise<void> {
    await this.app.close();
    this.overrides = { ...this.overrides, ...overrides };
    await this.boot();
  }

  private async boot(): Promise<void> {
    this.app = await this.createApp();
  }

  /**
   * Another instance of the same demo (same database, sandbox, keys and clock), as a second
   * replica behind a load balancer; closed with the harness.
   */
  async startPeer(): Promise<INestApplication> {
    const peer = await this.createApp();
    this.peers.push(peer);
    return peer;
  }

  private async createApp(): Promise<INestApplication> {
    const env = {
      DATABASE_URL: this.database.url,
      SFS_BASE_URL: this.sandbox.url,
      SFS_API_KEY: this.sandbox.accounts[0].apiKey,
      SFS_SECRET: this.sandbox.accounts[0].secret,
      SFS_ENCRYPTION_KEYS: this.encryptionKeys,
      SFS_ADMIN_KEYS:
        `acme=${this.keys.acme},globex=${this.keys.globex},*=${this.keys.all},` +
        `acme/read=${this.keys.acmeRead}`,
      SFS_ADMIN_AUTH_FAILURE_LIMIT: String(this.options.adminAuthFailureLimit ?? 1_000_000),
      ...this.options.env,
    };
    let builder = Test.createTestingModule({
      imports: [
        DemoAppModule.register({
          env,
          wiring: this.wiring,
          sfs: 'sandbox',
          overrides: {
            caPem: this.sandbox.caPem,
            retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
            requestTimeoutMs: 2000,
            workers: { enabled: false },
            ...this.overrides,
          },
        }),
      ],
    });
    if (this.options.logger) builder = builder.setLogger(this.options.logger);
    const moduleRef = await builder.overrideProvider(SfsClock).useValue(this.clock).compile();
    const logger = this.options.logger ?? false;
    const app = moduleRef.createNestApplication(createDemoAdapter(this.platform), { logger });
    setupDemoApp(app);
    await app.init();
    if (this.platform === 'fastify') {
      await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
    }
    return app;
  }

  get http(): ReturnType<typeof request> {
    return request(this.app.getHttpServer());
  }

  /** `Authorization` header of an admin key. */
  auth(key: keyof DemoAdminKeys): { Authorization: string } {
    return { Authorization: `Bearer ${this.keys[key]}` };
  }

  refreshNow(): ReturnType<SfsRefreshWorker['runOnce']> {
    return this.app.get(SfsRefreshWorker).runOnce();
  }

  revokeNow(): ReturnType<SfsRevocationWorker['runOnce']> {
    return this.app.get(SfsRevocationWorker).runOnce();
  }

  rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.app.get(DataSource).query(sql, params);
  }

  async close(): Promise<void> {
    for (const peer of this.peers.splice(0)) await peer.close();
    await this.app?.close();
    await this.sandbox?.close();
    await this.database?.drop();
  }
}
