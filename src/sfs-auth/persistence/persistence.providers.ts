import type { Provider } from '@nestjs/common';
import { SfsKeyRing } from '../crypto/key-ring';
import { SfsKeyWrapper } from '../crypto/key-wrapper';
import { SfsRingKeyWrapper } from '../crypto/ring-key.wrapper';
import { SfsTenantDataKeys } from '../crypto/tenant-data-keys';
import { SfsTenantTokenCipher } from '../crypto/tenant-token.cipher';
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
import { SfsTenantKeyStore } from './tenant-key.store';
import { SfsTenantOffboardingStore } from './tenant-offboarding.store';
import { TypeOrmSfsTenantOffboardingStore } from './typeorm-tenant-offboarding.store';
import { TypeOrmSfsTenantKeyStore } from './typeorm-tenant-key.store';

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
  { provide: SfsTenantKeyStore, useClass: TypeOrmSfsTenantKeyStore },
  { provide: SfsTenantOffboardingStore, useClass: TypeOrmSfsTenantOffboardingStore },
  {
    provide: SfsKeyWrapper,
    inject: [SFS_AUTH_RESOLVED_OPTIONS, SfsKeyRing],
    useFactory: (options: SfsAuthResolvedOptions, ring: SfsKeyRing): SfsKeyWrapper =>
      options.keyWrapper ?? new SfsRingKeyWrapper(ring),
  },
  SfsTenantDataKeys,
  SfsTenantTokenCipher,
];
