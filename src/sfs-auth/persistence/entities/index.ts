import { SfsClientTokenEntity } from './client-token.entity';
import { SfsTokenChangeEntity } from './token-change.entity';
import { SfsTokenEventEntity } from './token-event.entity';
import { SfsTokenKeyLeaseEntity } from './token-key-lease.entity';
import { SfsTokenRevocationEntity } from './token-revocation.entity';
import { SfsTenantKeyEntity } from './tenant-key.entity';
import { SfsTenantOffboardingEntity } from './tenant-offboarding.entity';
import {
  SfsTenantTokenCountDeltaEntity,
  SfsTenantTokenCountEntity,
} from './tenant-token-count.entity';

export {
  SfsClientTokenEntity,
  SfsTenantKeyEntity,
  SfsTenantOffboardingEntity,
  SfsTenantTokenCountDeltaEntity,
  SfsTenantTokenCountEntity,
  SfsTokenChangeEntity,
  SfsTokenEventEntity,
  SfsTokenKeyLeaseEntity,
  SfsTokenRevocationEntity,
};

/**
 * The module's entities: list them in the host's `TypeOrmModule.forRoot({ entities })`.
 *
 * @group Persistence
 * @publicApi
 */
// Typed as classes, not as the list of them: the entity classes are internal.
export const SFS_AUTH_ENTITIES: Array<new () => object> = [
  SfsClientTokenEntity,
  SfsTokenRevocationEntity,
  SfsTokenEventEntity,
  SfsTokenChangeEntity,
  SfsTokenKeyLeaseEntity,
  SfsTenantKeyEntity,
  SfsTenantOffboardingEntity,
  SfsTenantTokenCountEntity,
  SfsTenantTokenCountDeltaEntity,
];
