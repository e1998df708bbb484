import { SfsAuthConfigError } from '../errors/sfs-auth.error';
import type { SfsAuthResolvedOptions } from '../options/option-table';
import type { SfsAdminAuthorizer } from '../options/admin-authorizer';
import { sfsAdminAuthorizerFactory } from './admin.module';
import { SfsStaticKeyAdminAuthorizer } from './static-key.authorizer';

const withAdmin = (admin: Pick<SfsAuthResolvedOptions['admin'], 'authorizer' | 'keys'>) =>
  ({
    admin: { authFailureLimit: 20, authFailureWindowMs: 60_000, ...admin },
  }) as SfsAuthResolvedOptions;

describe('sfsAdminAuthorizerFactory (admin API enabled)', () => {
  it('refuses to boot without an authorizer or keys, saying how to fix it', () => {
    expect(() => sfsAdminAuthorizerFactory(withAdmin({ keys: [] }))).toThrow(SfsAuthConfigError);
    expect(() => sfsAdminAuthorizerFactory(withAdmin({ keys: [] }))).toThrow(
      /admin\.authorizer, or admin\.keys \(SFS_ADMIN_KEYS\)/,
    );
  });

  it("prefers the host's authorizer, else builds the static-key one", () => {
    const host: SfsAdminAuthorizer = { authorize: () => ({ allowed: false, reason: 'forbidden' }) };
    const keys = [{ tenantId: '*', key: 'k'.repeat(16) }];
    expect(sfsAdminAuthorizerFactory(withAdmin({ authorizer: host, keys }))).toBe(host);
    expect(sfsAdminAuthorizerFactory(withAdmin({ keys }))).toBeInstanceOf(
      SfsStaticKeyAdminAuthorizer,
    );
  });
});
