import { TokenFixture } from '../../support/token-fixture';
import { FakeKms, FakeKmsKeyWrapper } from './fake-kms';

/** A host plugs its KMS in through the SfsKeyWrapper port (here: an in-process fake KMS). */
describe('a KMS key wrapper adapter', () => {
  const f = new TokenFixture();
  const kms = new FakeKms();
  const keyWrapper = new FakeKmsKeyWrapper(kms);
  const TTL = 60_000;
  const options = { keyWrapper, dataKeys: { cacheTtlMs: TTL } };
  const tenants = ['t-kms-a', 't-kms-b'];
  const key = (tenantId: string, subjectId: string) => ({ tenantId, clientKey: 'c', subjectId });

  beforeAll(() => f.start('kms'));
  afterAll(() => f.stop());

  it('wraps one data key per tenant in the KMS, bound to the tenant', async () => {
    const a = await f.addInstance(options);
    const issued = await Promise.all(
      tenants.flatMap((t) => ['u1', 'u2', 'u3'].map((s) => a.tokens.getClientToken(key(t, s)))),
    );
    expect(issued).toHaveLength(6);
    expect(kms.calls).toEqual({ encrypt: 2, decrypt: 0 });
    const stored = await f.rows<{ tenant_id: string; wrapping_key_id: string }>(
      'SELECT tenant_id, wrapping_key_id FROM sfs_tenant_key ORDER BY tenant_id',
    );
    expect(stored).toEqual(
      tenants.map((tenant_id) => ({ tenant_id, wrapping_key_id: kms.currentKeyId })),
    );

    // A wrapped key moved to another tenant does not unwrap there (the KMS checks the context).
    await f.rows(
      `UPDATE sfs_tenant_key SET wrapped_key = (SELECT wrapped_key FROM sfs_tenant_key WHERE tenant_id = $1)
        WHERE tenant_id = $2`,
      tenants,
    );
    const b = await f.addInstance(options);
    await expect(b.tokens.getClientToken(key(tenants[1], 'u9'))).rejects.toMatchObject({
      code: 'ENCRYPTION_KEY_MISSING',
      tenantId: tenants[1],
    });
    await f.closeInstance(b);
    await f.closeInstance(a);
  });

  it('asks the KMS once per tenant and instance within the cache lifetime, again after it', async () => {
    // Restore the second tenant's own key (the previous test swapped it).
    await f.stop();
    await f.start('kms_cache');
    const a = await f.addInstance(options);
    const issued = await a.tokens.getClientToken(key(tenants[0], 'u1'));
    await f.closeInstance(a);

    const b = await f.addInstance(options);
    const before = kms.calls.decrypt;
    expect((await b.tokens.getClientToken(key(tenants[0], 'u1'))).accessToken).toBe(
      issued.accessToken,
    );
    // New subjects: each a database read and a seal, no KMS call.
    for (const s of ['u2', 'u3', 'u4']) await b.tokens.getClientToken(key(tenants[0], s));
    expect(kms.calls.decrypt - before).toBe(1);
    f.clock.advance(TTL);
    await b.tokens.getClientToken(key(tenants[0], 'u5'));
    expect(kms.calls.decrypt - before).toBe(2);
    await f.closeInstance(b);
  });

  it('rotation in the KMS: reencrypt() rewraps the data keys; the old version can then go', async () => {
    const a = await f.addInstance(options);
    const issued = await a.tokens.getClientToken(key(tenants[1], 'u1'));
    const rows = () =>
      f.rows(
        'SELECT id, token_ciphertext, token_key_id, version FROM sfs_client_token ORDER BY id',
      );
    const before = await rows();
    const old = kms.currentKeyId;
    kms.rotate();
    expect(await a.tokens.reencrypt()).toEqual({
      rewrapped: 2,
      migrated: 0,
      failed: 0,
      skipped: 0,
    });
    expect(await rows()).toEqual(before);
    kms.disable(old);
    await f.closeInstance(a);

    const b = await f.addInstance(options);
    expect((await b.tokens.getClientToken(key(tenants[1], 'u1'))).accessToken).toBe(
      issued.accessToken,
    );
    await f.closeInstance(b);
  });
});
