import { sfsRelease010KeyLockId } from './release-0.1';

describe("0.1.0's key lock", () => {
  it('has the advisory-lock ids 0.1.0 computes (values from its own build)', () => {
    const key = { tenantId: 'acme', clientKey: 'app', subjectId: 'user-1' };
    expect(sfsRelease010KeyLockId(key)).toBe('-3974178612709315561');
    expect(sfsRelease010KeyLockId({ ...key, subjectId: null })).toBe('716727212733666005');
    expect(sfsRelease010KeyLockId({ ...key, clientKey: 'app2' })).not.toBe('-3974178612709315561');
  });
});
