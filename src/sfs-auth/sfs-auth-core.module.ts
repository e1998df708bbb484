import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SfsTokenReadModel } from './admin/token-read.model';
import { SfsChangeFeedService } from './change-feed/change-feed.service';
import { SfsTokenChangeFeed } from './change-feed/token-change.feed';
import { SfsClockModule } from './clock/clock.module';
import { SFS_CRYPTO_PROVIDERS } from './crypto/crypto.providers';
import { SfsReencryptionStore } from './crypto/reencryption.store';
import { SfsTokenReencryptionService } from './crypto/token-reencryption.service';
import { SfsEventPublisher } from './events/sfs-event.publisher';
import { SFS_METRICS_PROVIDERS } from './metrics/metrics.providers';
import { SFS_AUTH_RESOLVED_OPTIONS } from './options/option-table';
import { resolveSfsAuthOptions } from './options/resolve-sfs-auth-options';
import type { SfsAuthModuleOptions } from './options/sfs-auth-options.interface';
import { SFS_AUTH_ENTITIES } from './persistence/entities';
import { createInstanceId, SFS_INSTANCE_ID } from './scheduling/instance-id';
import { SfsClientTokenCalls } from './sfs/client-token.calls';
import { SFS_WIRE_PROVIDERS } from './sfs/sfs-wire.providers';
import { SFS_AUTH_MODULE_OPTIONS } from './sfs-auth.module-definition';

/** What every feature module reads: options, instance id, SFS calls, encryption, events, feeds. */
const SFS_CORE_PROVIDERS: Provider[] = [
  {
    provide: SFS_AUTH_RESOLVED_OPTIONS,
    useFactory: (options: SfsAuthModuleOptions) => resolveSfsAuthOptions(options),
    inject: [SFS_AUTH_MODULE_OPTIONS],
  },
  { provide: SFS_INSTANCE_ID, useFactory: createInstanceId },
  ...SFS_METRICS_PROVIDERS,
  ...SFS_WIRE_PROVIDERS,
  SfsClientTokenCalls,
  ...SFS_CRYPTO_PROVIDERS,
  SfsReencryptionStore,
  SfsTokenReencryptionService,
  SfsTokenReadModel,
  SfsEventPublisher,
  SfsChangeFeedService,
  { provide: SfsTokenChangeFeed, useExisting: SfsChangeFeedService },
];

const tokenOf = (provider: Provider) =>
  typeof provider === 'function' ? provider : provider.provide;

/**
 * The shared part of `SfsAuthModule`, one per application: the options (with the providers and
 * imports of `forRoot` / `forRootAsync` that produce them), the clock, the instance id, the SFS
 * client, encryption, events and the change feed. Each feature module imports this very object.
 *
 * @internal
 */
@Module({})
export class SfsAuthCoreModule {
  /** The core for the options `definition` (what `forRoot` / `forRootAsync` built) provides. */
  static register(definition: Pick<DynamicModule, 'imports' | 'providers'>): DynamicModule {
    return {
      module: SfsAuthCoreModule,
      imports: [
        ...(definition.imports ?? []),
        TypeOrmModule.forFeature([...SFS_AUTH_ENTITIES]),
        SfsClockModule,
      ],
      providers: [...(definition.providers ?? []), ...SFS_CORE_PROVIDERS],
      exports: [SfsClockModule, ...SFS_CORE_PROVIDERS.map(tokenOf)],
    };
  }
}
