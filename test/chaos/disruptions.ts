import type { DemoCluster, DemoInstance } from './cluster';
import { queryOnce, type ChaosPostgres } from './postgres';
import type { ChaosProfile } from './profile';
import { sleep, waitUntil } from './timing';

/** What the SIGKILL of one instance did, and how long its claimed work stayed stuck. */
export interface KillOutcome {
  readonly victim: string;
  readonly pid: number;
  /** Lease owner id of the killed process (`host:pid:random`). */
  readonly owner: string | null;
  readonly killAt: number;
  /** Token rows / outbox rows the killed process held a lease on when it died. */
  readonly leasedRefreshes: number;
  readonly leasedRevocations: number;
  /**
   * Resume after kill: ms from the SIGKILL until every row the killed process had leased has been
   * dealt with by someone else: each token row is no longer `active` (refreshed, i.e. replaced,
   * or expired, or revoked) and each outbox row is gone (revocation confirmed). -1 when the
   * process held no lease (not measured) or it did not happen within `resumeTimeoutMs`.
   */
  readonly resumeMs: number;
  /** Of the leased token rows: how many ended `expired` without a replacement. */
  readonly expiredUnrefreshed: number;
  /** Time the restarted process took to print its banner. */
  readonly restartBootMs: number;
}

/** What the PostgreSQL restart did. */
export interface DbRestartOutcome {
  /** Wall-clock ms: `pg_ctl stop` called, and `pg_ctl start` returned (accepting connections). */
  readonly stopAt: number;
  readonly upAt: number;
  /**
   * Resume after the database restart: ms from `upAt` until the first audit event of a successful
   * mint, refresh or confirmed revocation (`issued`, `refreshed`, `revoked`) committed after the
   * restart is visible (polled every 50 ms). -1 if none within `resumeTimeoutMs`.
   */
  readonly resumeMs: number;
}

interface LeaseRow {
  lease_owner: string;
  n: number;
}

const LEASE_HOLDERS = `
  SELECT lease_owner, count(*)::int AS n FROM sfs_client_token
  WHERE status = 'active' AND lease_owner IS NOT NULL AND lease_expires_at > now()
  GROUP BY lease_owner`;

/** The pid inside a lease owner id `host:pid:random`. */
function ownerPid(owner: string): number {
  const match = /:(\d+):[0-9a-f]+$/.exec(owner);
  return match ? Number(match[1]) : -1;
}

/**
 * Waits (up to 15 s) for a moment when an instance holds refresh leases, SIGKILLs the one holding
 * the most, restarts it after `restartAfterMs`, and measures how long its claimed work stayed stuck.
 */
export async function killOneInstance(
  cluster: DemoCluster,
  dbUrl: string,
  profile: ChaosProfile,
): Promise<KillOutcome> {
  let victim: DemoInstance | undefined;
  let owner: string | null = null;
  await waitUntil(
    async () => {
      const rows = await queryOnce<LeaseRow>(dbUrl, LEASE_HOLDERS);
      const live = cluster.live();
      const best = rows
        .map((row) => ({ row, instance: live.find((i) => i.pid === ownerPid(row.lease_owner)) }))
        .filter((c) => c.instance !== undefined)
        .sort((a, b) => b.row.n - a.row.n)[0];
      if (!best) return false;
      victim = best.instance;
      owner = best.row.lease_owner;
      return true;
    },
    15_000,
    25,
  );
  victim ??= cluster.live()[1] ?? cluster.live()[0];
  const pid = victim.pid;
  const killAt = Date.now();
  await victim.stop('SIGKILL');
  const restarted = sleep(profile.restartAfterMs).then(() => (victim as DemoInstance).start());
  const leased = owner
    ? await queryOnce<{ id: string; kind: string }>(
        dbUrl,
        `SELECT id, 'token' AS kind FROM sfs_client_token WHERE lease_owner = $1 AND status = 'active'
         UNION ALL SELECT id, 'outbox' FROM sfs_token_revocation WHERE lease_owner = $1`,
        [owner],
      )
    : [];
  const tokens = leased.filter((r) => r.kind === 'token').map((r) => r.id);
  const outbox = leased.filter((r) => r.kind === 'outbox').map((r) => r.id);
  const resumedAt =
    leased.length === 0
      ? null
      : await waitUntil(async () => {
          const [left] = await queryOnce<{ n: number }>(
            dbUrl,
            `SELECT ((SELECT count(*) FROM sfs_client_token WHERE id = ANY($1) AND status = 'active')
                  + (SELECT count(*) FROM sfs_token_revocation WHERE id = ANY($2)))::int AS n`,
            [tokens, outbox],
          );
          return Number(left.n) === 0;
        }, profile.resumeTimeoutMs);
  const [unrefreshed] = await queryOnce<{ n: number }>(
    dbUrl,
    `SELECT count(*)::int AS n FROM sfs_client_token
     WHERE id = ANY($1) AND status = 'expired' AND replaced_by IS NULL`,
    [tokens],
  );
  const restartBootMs = await restarted;
  return {
    victim: victim.name,
    pid,
    owner,
    killAt,
    leasedRefreshes: tokens.length,
    leasedRevocations: outbox.length,
    resumeMs: resumedAt === null ? -1 : resumedAt - killAt,
    expiredUnrefreshed: unrefreshed.n,
    restartBootMs,
  };
}

/**
 * Stops PostgreSQL (fast shutdown), keeps it down `dbDownMs`, starts it, calls `onUp` (not
 * awaited) and measures resumption.
 */
export async function restartDatabase(
  pg: ChaosPostgres,
  profile: ChaosProfile,
  onUp: () => void = () => undefined,
): Promise<DbRestartOutcome> {
  const [last] = await queryOnce<{ id: string }>(
    pg.url,
    'SELECT COALESCE(max(id), 0)::text AS id FROM sfs_token_event',
  );
  const stopAt = Date.now();
  await pg.stop();
  await sleep(profile.dbDownMs);
  await pg.start();
  const upAt = Date.now();
  onUp();
  const resumedAt = await waitUntil(
    async () =>
      (
        await queryOnce(
          pg.url,
          `SELECT 1 FROM sfs_token_event
           WHERE id > $1::bigint AND type IN ('issued', 'refreshed', 'revoked') LIMIT 1`,
          [last.id],
        )
      ).length > 0,
    profile.resumeTimeoutMs,
    50,
  );
  return { stopAt, upAt, resumeMs: resumedAt === null ? -1 : resumedAt - upAt };
}
