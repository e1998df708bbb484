import type { Provider } from '@nestjs/common';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import {
  SfsCredentialsResolver,
  SfsStaticCredentialsResolver,
} from '../options/credentials-resolver';
import { SfsPlatformTokenProvider } from './platform-token.provider';
import { SfsHttpTransport } from './sfs-http.transport';
import { SfsHttpTokenApi, SfsTokenApi } from './sfs-token.api';

/**
 * The SFS side of the module: HTTP transport, token API, credentials resolver and platform-token
 * provider. Needs `SFS_AUTH_RESOLVED_OPTIONS` and `SfsClock` from the module (or a test), and
 * takes an optional `SfsSleep`.
 */
export const SFS_WIRE_PROVIDERS: Provider[] = [
  SfsHttpTransport,
  { provide: SfsTokenApi, useClass: SfsHttpTokenApi },
  {
    provide: SfsCredentialsResolver,
    inject: [SFS_AUTH_RESOLVED_OPTIONS],
    useFactory: (
      options: Pick<SfsAuthResolvedOptions, 'apiKey' | 'credentialsResolver' | 'secret'>,
    ): SfsCredentialsResolver =>
      options.credentialsResolver ??
      new SfsStaticCredentialsResolver({
        apiKey: options.apiKey ?? '',
        secret: options.secret ?? '',
      }),
  },
  SfsPlatformTokenProvider,
];
