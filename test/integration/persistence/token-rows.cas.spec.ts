import {
  at,
  useHarness,
  eventFor,
  newRecord,
  snapshot,
  type SfsTestStores,
} from './persistence-harness';

interface Target {
  tokenId: string;
  tokenVersion: number;
  revocationId: string;
  revocationVersion: number;
}

type Cas = (store: SfsTestStores, x: Target) => Promise<boolean>;

const ev = (x: Target) => eventFor({ tenantId: 'tenant-cas', id: x.tokenId }, 'refresh_failed');
const failure = { error: 'boom', nextAttemptAt: at(900), permanent: false };

/** Every compare-and-set of the port, called with the version it expects. */
const CASES: Array<[string, Cas]> = [
  [
    'recordRefreshFailure',
    (s, x) => s.refresh.recordRefreshFailure(x.tokenId, x.tokenVersion, failure, ev(x)),
  ],
  [
    'postponeRefresh',
    (s, x) => s.refresh.postponeRefresh(x.tokenId, x.tokenVersion, at(5000), ev(x)),
  ],
  ['markExpired', (s, x) => s.refresh.markExpired(x.tokenId, x.tokenVersion, ev(x))],
  [
    'reseal',
    (s, x) =>
      s.reencryption.reseal(
        x.tokenId,
        x.tokenVersion,
        { ciphertext: Buffer.from([1, 2]), keyId: 'k9' },
        ev(x),
      ),
  ],
  [
    'markUndecryptable',
    (s, x) =>
      s.reencryption.markUndecryptable(x.tokenId, x.tokenVersion, 'DECRYPTION_FAILED', ev(x)),
  ],
  [
    'confirmRevocation',
    (s, x) => s.outbox.confirmRevocation(x.revocationId, x.revocationVersion, ev(x)),
  ],
  [
    'recordRevocationFailure',
    (s, x) => s.outbox.recordRevocationFailure(x.revocationId, x.revocationVersion, failure, ev(x)),
  ],
];

describe('Token rows: compare-and-set across the stores', () => {
  const h = useHarness('store_cas', { truncateEachTest: false });

  /** An active token (claimed once: version 1) and a claimed outbox row of another token. */
  async function arrange(subject: string): Promise<Target> {
    const live = newRecord(
      { tenantId: 'tenant-cas', subjectId: `${subject}-live` },
      { refreshIn: 10 },
    );
    const doomed = newRecord({ tenantId: 'tenant-cas', subjectId: `${subject}-doomed` });
    await h.insertToken(live, []);
    await h.insertToken(doomed, []);
    await h.sql(`UPDATE sfs_client_token SET version = 1 WHERE id = $1`, [live.id]);
    await h.outbox.requestRevocation(
      { tenantId: 'tenant-cas', tokenId: doomed.id },
      'r',
      'host',
      at(0),
    );
    const [work] = await h.outbox.claimDueRevocations(`w-${subject}`, at(0), 60_000, 1);
    return {
      tokenId: live.id,
      tokenVersion: 1,
      revocationId: work.id,
      revocationVersion: work.version,
    };
  }

  it.each(CASES)(
    '%s returns false and changes nothing when the version is stale',
    async (name, cas) => {
      const x = await arrange(`${name}-stale`);
      const before = await snapshot(h);
      for (const stale of [
        { tokenVersion: 0, revocationVersion: x.revocationVersion - 1 },
        { tokenVersion: 2, revocationVersion: x.revocationVersion + 1 },
      ]) {
        expect(await cas(h, { ...x, ...stale })).toBe(false);
      }
      expect(await snapshot(h)).toEqual(before);
      await h.sql(`DELETE FROM sfs_token_revocation WHERE id = $1`, [x.revocationId]);
    },
  );

  it.each(CASES)('%s succeeds exactly once with the current version', async (name, cas) => {
    const x = await arrange(`${name}-fresh`);
    expect(await cas(h, x)).toBe(true);
    // reseal re-encodes material without a version bump; every other CAS moves the version on.
    expect(await cas(h, x)).toBe(name === 'reseal');
    await h.sql(`DELETE FROM sfs_token_revocation WHERE id = $1`, [x.revocationId]);
  });
});
