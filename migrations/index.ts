import type { MigrationInterface } from 'typeorm';
import { CreateSfsAuthTables1764300000000 } from './1764300000000-CreateSfsAuthTables';
import { AddSfsAuthRetentionIndexes1764400000000 } from './1764400000000-AddSfsAuthRetentionIndexes';
import { AddSfsAuthTokenChangeSequence1764500000000 } from './1764500000000-AddSfsAuthTokenChangeSequence';
import { AddSfsAuthKeyLeases1764510000000 } from './1764510000000-AddSfsAuthKeyLeases';
import { AddSfsAuthKeyLeaseFences1764520000000 } from './1764520000000-AddSfsAuthKeyLeaseFences';
import { AddSfsAuthTenantKeys1764600000000 } from './1764600000000-AddSfsAuthTenantKeys';
import { AddSfsAuthTenantOffboarding1764700000000 } from './1764700000000-AddSfsAuthTenantOffboarding';
import { AddSfsAuthTenantTokenCounts1764800000000 } from './1764800000000-AddSfsAuthTenantTokenCounts';
import { AddSfsAuthRecordMintsFunction1764900000000 } from './1764900000000-AddSfsAuthRecordMintsFunction';

export {
  AddSfsAuthKeyLeaseFences1764520000000,
  AddSfsAuthKeyLeases1764510000000,
  AddSfsAuthRecordMintsFunction1764900000000,
  AddSfsAuthRetentionIndexes1764400000000,
  AddSfsAuthTenantKeys1764600000000,
  AddSfsAuthTenantOffboarding1764700000000,
  AddSfsAuthTenantTokenCounts1764800000000,
  AddSfsAuthTokenChangeSequence1764500000000,
  CreateSfsAuthTables1764300000000,
};

/**
 * Every migration of the module, in order: pass them to the host's `TypeOrmModule.forRoot`.
 *
 * @group Persistence
 * @publicApi
 */
// Typed as migrations, not as the list of them: the migration classes are internal.
export const SFS_AUTH_MIGRATIONS: Array<new () => MigrationInterface> = [
  CreateSfsAuthTables1764300000000,
  AddSfsAuthRetentionIndexes1764400000000,
  AddSfsAuthTokenChangeSequence1764500000000,
  AddSfsAuthKeyLeases1764510000000,
  AddSfsAuthKeyLeaseFences1764520000000,
  AddSfsAuthTenantKeys1764600000000,
  AddSfsAuthTenantOffboarding1764700000000,
  AddSfsAuthTenantTokenCounts1764800000000,
  AddSfsAuthRecordMintsFunction1764900000000,
];
