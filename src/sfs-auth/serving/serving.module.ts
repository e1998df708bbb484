import { Module } from '@nestjs/common';
import { SfsKeyLeaseStore } from './key-lease.store';
import { SfsMintInstrumentation } from './mint.instrumentation';
import { SfsServingStore } from './serving.store';
import { SfsOffboardedTenants } from './offboarded-tenants';
import { SfsTokenIssuer } from './token-issuer';
import { SfsTokenMaterial } from './token-material';
import { SfsTokenMinter } from './token-minter';
import { SfsTokenServingService } from './token-serving.service';

/**
 * Serving and the one mint flow: the cache, the key leases, the issuer, the minter.
 *
 * @internal
 */
@Module({
  providers: [
    SfsServingStore,
    SfsKeyLeaseStore,
    SfsTokenMaterial,
    SfsOffboardedTenants,
    SfsTokenIssuer,
    SfsMintInstrumentation,
    SfsTokenMinter,
    SfsTokenServingService,
  ],
  exports: [
    SfsServingStore,
    SfsKeyLeaseStore,
    SfsTokenMaterial,
    SfsTokenMinter,
    SfsTokenServingService,
  ],
})
export class SfsServingModule {}
