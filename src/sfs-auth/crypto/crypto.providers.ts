import type { Provider } from '@nestjs/common';
import { SfsKeyWrapper } from '../options/key-wrapper';
import { SFS_AUTH_RESOLVED_OPTIONS, type SfsAuthResolvedOptions } from '../options/option-table';
import { SfsKeyRing } from './key-ring';
import { SfsRingKeyWrapper } from './ring-key.wrapper';
import { SfsTenantDataKeys } from './tenant-data-keys';
import { SfsTenantKeyStore } from './tenant-key.store';
import { SfsTenantTokenCipher } from './tenant-token.cipher';
import { SfsTokenCipher } from './token-cipher';

/**
 * Encryption at rest: the key ring from `encryptionKeys`, the host's key wrapper (or the ring's),
 * per-tenant data keys and the token ciphers. Needs the host's TypeORM `DataSource` and
 * `SFS_AUTH_RESOLVED_OPTIONS`.
 */
export const SFS_CRYPTO_PROVIDERS: Provider[] = [
  {
    provide: SfsKeyRing,
    inject: [SFS_AUTH_RESOLVED_OPTIONS],
    useFactory: (options: Pick<SfsAuthResolvedOptions, 'encryptionKeys'>) =>
      new SfsKeyRing(options.encryptionKeys),
  },
  SfsTokenCipher,
  SfsTenantKeyStore,
  {
    provide: SfsKeyWrapper,
    inject: [SFS_AUTH_RESOLVED_OPTIONS, SfsKeyRing],
    useFactory: (
      options: Pick<SfsAuthResolvedOptions, 'keyWrapper'>,
      ring: SfsKeyRing,
    ): SfsKeyWrapper => options.keyWrapper ?? new SfsRingKeyWrapper(ring),
  },
  SfsTenantDataKeys,
  SfsTenantTokenCipher,
];
