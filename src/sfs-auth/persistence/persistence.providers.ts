import type { Provider } from '@nestjs/common';
import { SfsKeyRing } from '../crypto/key-ring';
import { SfsTokenCipher } from '../crypto/token-cipher';
import type { SfsAuthResolvedOptions } from '../options/sfs-auth-options.interface';
import { SFS_AUTH_RESOLVED_OPTIONS } from '../sfs-auth.module-definition';
import { SfsChangeFeedService } from '../change-feed/change-feed.service';
import { SfsTokenReadModel } from './token-read.model';
import { SfsTokenRetentionStore } from './token-retention.store';
import { SfsTokenChangeFeed, SfsTokenStore } from './token.store';
import { TypeOrmSfsTokenReadModel } from './typeorm-token-read.model';
import { TypeOrmSfsTokenStore } from './typeorm-token.store';
import { TypeOrmSfsTokenRetentionStore } from './typeorm-token-retention.store';

/**
 * Persistence and crypto providers of the module. Needs the host's TypeORM `DataSource` (from
 * `TypeOrmModule.forRoot`) and `SFS_AUTH_RESOLVED_OPTIONS`.
 */
export const SFS_PERSISTENCE_PROVIDERS: Provider[] = [
  { provide: SfsTokenStore, useClass: TypeOrmSfsTokenStore },
  { provide: SfsTokenReadModel, useClass: TypeOrmSfsTokenReadModel },
  { provide: SfsTokenRetentionStore, useClass: TypeOrmSfsTokenRetentionStore },
  SfsChangeFeedService,
  { provide: SfsTokenChangeFeed, useExisting: SfsChangeFeedService },
  {
    provide: SfsKeyRing,
    inject: [SFS_AUTH_RESOLVED_OPTIONS],
    useFactory: (options: SfsAuthResolvedOptions) => new SfsKeyRing(options.encryptionKeys),
  },
  SfsTokenCipher,
];
