import { Injectable } from '@nestjs/common';
import { SfsTenantOffboardedError } from '../errors/sfs-auth.error';
import { SfsServingStore } from './serving.store';

/**
 * Refuses mints for a tenant with an offboarding tombstone. Asks the database every time (one
 * primary-key read, next to an SFS call): the refusal holds on every instance from the moment the
 * offboarding committed, without waiting for the change feed.
 *
 * @internal
 */
@Injectable()
export class SfsOffboardedTenants {
  constructor(private readonly rows: SfsServingStore) {}

  /** @throws SfsTenantOffboardedError (`TENANT_OFFBOARDED`) when the tenant is (being) offboarded. */
  async assertNotOffboarded(tenantId: string): Promise<void> {
    if (await this.rows.isOffboarded(tenantId)) throw new SfsTenantOffboardedError(tenantId);
  }
}
