import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SFS_AUTH_ENTITIES,
  SFS_AUTH_MIGRATIONS,
  SfsApiClient,
  SfsAuthModule,
  SfsTokenService,
  sfsAuthOptionsFromEnv,
} from '../../../src';
import { testEncryptionKey } from '../../support/test-app';
import { TokenFixture } from '../../support/token-fixture';

describe('SfsApiClient, authFor and forRootAsync wiring', () => {
  const f = new TokenFixture();
  beforeAll(() => f.start('api_client'));
  afterAll(() => f.stop());

  it('calls a protected entity with the Bearer token; on a 401 replaces the token once and retries once', async () => {
    const a = await f.addInstance();
    const client = a.app.get(SfsApiClient);
    const ctx = { tenantId: 't-api', clientKey: 'c1' };
    expect(await client.call(ctx, 'contract', { action: 'list' })).toEqual({ contracts: [] });
    const first = await a.tokens.getClientToken(ctx);
    f.sandbox.revokeToken(first.accessToken); // dead at SFS behind our back
    f.sandbox.clearCalls();
    expect(await client.call(ctx, 'contract', { action: 'list' })).toEqual({ contracts: [] });
    const calls = f.sandbox.calls().map((c) => `${c.kind}:${c.status}`);
    expect(calls).toEqual(['contract.list:401', 'client.create:201', 'contract.list:200']);
    const second = await a.tokens.getClientToken(ctx);
    expect(second.tokenId).not.toBe(first.tokenId);
    await expect(client.call(ctx, '../token', {})).rejects.toThrow(/entity/);
    await f.closeInstance(a);
  });

  it('api-key mode (testing only) sends X-Sendforsign-Key and clientKey, no token', async () => {
    const a = await f.addInstance({ authMode: 'api-key', environment: 'test' });
    const ctx = { tenantId: 't-api', clientKey: 'c9' };
    const auth = await a.tokens.authFor(ctx);
    expect(auth).toEqual({
      headers: { 'X-Sendforsign-Key': f.sandbox.accounts[0].apiKey },
      data: { clientKey: 'c9' },
    });
    f.sandbox.clearCalls();
    expect(await a.app.get(SfsApiClient).call(ctx, 'contract', { action: 'list' })).toEqual({
      contracts: [],
    });
    const [call] = f.sandbox.calls({ reveal: true });
    expect(call.headers['x-sendforsign-key']).toBe(f.sandbox.accounts[0].apiKey);
    expect(call.headers.authorization).toBeUndefined();
    expect(call.body).toEqual({ data: { action: 'list', clientKey: 'c9' } });
    await f.closeInstance(a);
  });

  it('forRootAsync with @nestjs/config maps the environment (SFS_CA_FILE included)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfs-ca-'));
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, f.sandbox.caPem);
    const build = (env: Record<string, string>) =>
      Test.createTestingModule({
        imports: [
          ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env] }),
          TypeOrmModule.forRoot({
            type: 'postgres',
            url: f.database.url,
            entities: [...SFS_AUTH_ENTITIES],
            migrations: [...SFS_AUTH_MIGRATIONS],
            migrationsRun: true,
          }),
          ScheduleModule.forRoot(),
          EventEmitterModule.forRoot(),
          SfsAuthModule.forRootAsync({
            imports: [ConfigModule],
            inject: [ConfigService],
            useFactory: (config: ConfigService) => sfsAuthOptionsFromEnv(config),
          }),
        ],
      }).compile();
    const good = await build({
      SFS_BASE_URL: f.sandbox.url,
      SFS_API_KEY: f.sandbox.accounts[0].apiKey,
      SFS_SECRET: f.sandbox.accounts[0].secret,
      SFS_CA_FILE: caFile,
      SFS_ENCRYPTION_KEYS: testEncryptionKey(),
    });
    const app = good.createNestApplication({ logger: false });
    await app.init();
    const token = await app
      .get(SfsTokenService)
      .getClientToken({ tenantId: 't-async', clientKey: 'c1' });
    expect(f.sandbox.isTokenActive(token.accessToken)).toBe(true);
    await app.close();

    rmSync(dir, { recursive: true, force: true });
  });
});
