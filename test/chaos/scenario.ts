import type { SfsSandbox } from '../../src/sandbox';
import type { DemoCluster } from './cluster';
import {
  killOneInstance,
  restartDatabase,
  type DbRestartOutcome,
  type KillOutcome,
} from './disruptions';
import type { LoadGenerator } from './load';
import { REVOKED_SERVE_SLACK_MS } from './judge-serves';
import { queryOnce, type ChaosPostgres } from './postgres';
import type { ChaosProfile } from './profile';
import { sleep, waitUntil } from './timing';

/** What the storm did, for the measures and the report. */
export interface StormOutcome {
  readonly stormMs: number;
  readonly logoutsSent: number;
  readonly kill: KillOutcome | null;
  readonly db: DbRestartOutcome | null;
  /** Problems of the disruptions themselves (a restart that failed...), reported, not thrown. */
  readonly problems: string[];
}

/** Prints a progress line with the time since the driver started. */
export type Progress = (message: string) => void;

/**
 * The storm: load loops run throughout; every `logoutEveryMs` a share of the users logs out; at
 * `killAtMs` one instance holding leases is SIGKILLed (and restarted); at `dbRestartAtMs`
 * PostgreSQL is stopped and started again, and a logout storm follows as soon as it is back. Ends after `stormMs` (or once both disruptions have
 * been measured, if later), then stops the load.
 */
export async function runStorm(
  profile: ChaosProfile,
  load: LoadGenerator,
  cluster: DemoCluster,
  pg: ChaosPostgres,
  progress: Progress,
): Promise<StormOutcome> {
  const started = Date.now();
  const end = started + profile.stormMs;
  const problems: string[] = [];
  const running = load.run();
  let logoutsSent = 0;
  const logoutStorm = async (when: string) => {
    const users = await load.logoutStorm(profile.logoutShare);
    logoutsSent += users.length;
    progress(`logout storm${when}: ${users.length} users`);
    return users;
  };
  const storms = (async () => {
    while (Date.now() + profile.logoutEveryMs < end) {
      await sleep(profile.logoutEveryMs);
      await logoutStorm('');
    }
  })();
  // Logouts right after the database is back, while instances may still be reconnecting.
  let afterRestart: Promise<void> = Promise.resolve();
  const kill = sleep(profile.killAtMs)
    .then(() => {
      progress('SIGKILL of the instance holding the most leases');
      return killOneInstance(cluster, pg.url, profile);
    })
    .then((outcome) => {
      progress(`${outcome.victim} back; its leased work resumed in ${outcome.resumeMs} ms`);
      return outcome;
    })
    .catch((error: unknown) => {
      problems.push(`kill/restart: ${String(error)}`);
      return null;
    });
  const db = sleep(profile.dbRestartAtMs)
    .then(() => {
      progress('PostgreSQL: fast shutdown');
      return restartDatabase(pg, profile, () => {
        afterRestart = logoutStorm(' (database just back)').then(async (users) => {
          // Past the cache-invalidation slack: every instance must now refuse the old tokens.
          await sleep(REVOKED_SERVE_SLACK_MS + 500);
          await load.probe(users);
          progress(`probed every instance for the tokens of those ${users.length} users`);
        });
      });
    })
    .then((outcome) => {
      progress(
        `PostgreSQL back; work resumed ${outcome.resumeMs} ms after it accepted connections`,
      );
      return outcome;
    })
    .catch((error: unknown) => {
      problems.push(`database restart: ${String(error)}`);
      return null;
    });
  await sleep(Math.max(0, end - Date.now()));
  const [killed, restarted] = await Promise.all([kill, db]);
  load.stop();
  await Promise.all([running, storms, afterRestart]);
  return { stormMs: Date.now() - started, logoutsSent, kill: killed, db: restarted, problems };
}

/** When the revocation backlog was drained. */
export interface DrainOutcome {
  /** From faults off to the first moment with no `pending` outbox row (-1: deadline passed). */
  readonly drainMs: number;
  /** The second such moment, after refreshes in flight at the storm's end have settled. */
  readonly drainedAt: number;
  /**
   * The token rows `revoking` or `revoked` in the snapshot that found the outbox empty at
   * `drainedAt`: a row stamped before that moment but committed after it is not among them.
   */
  readonly revokedAtDrain: ReadonlySet<string>;
}

/**
 * Faults off, then waits until the revocation outbox holds no `pending` row; waits `settleMs`
 * (mints in flight when the storm ended may still queue a revocation) and for an empty outbox
 * once more. Everything queued before `drainedAt` is the backlog the run is judged on.
 */
export async function drainRevocations(
  sandbox: SfsSandbox,
  dbUrl: string,
  timeoutMs: number,
  settleMs: number,
): Promise<DrainOutcome> {
  sandbox.clearFaults();
  const started = Date.now();
  let revokedAtDrain: ReadonlySet<string> = new Set();
  // One statement, so the rows read are those of the snapshot that found the outbox empty.
  const empty = async () => {
    const [row] = await queryOnce<{ n: number; revoked: string[] }>(
      dbUrl,
      `SELECT (SELECT count(*)::int FROM sfs_token_revocation WHERE status = 'pending') AS n,
        (SELECT coalesce(array_agg(id::text), '{}') FROM sfs_client_token
         WHERE status IN ('revoking', 'revoked')) AS revoked`,
    );
    revokedAtDrain = new Set(row.revoked);
    return row.n === 0;
  };
  const first = await waitUntil(empty, timeoutMs);
  if (first === null) return { drainMs: -1, drainedAt: Date.now(), revokedAtDrain };
  await sleep(settleMs);
  const second = await waitUntil(empty, Math.max(1000, started + timeoutMs - Date.now()));
  return { drainMs: first - started, drainedAt: second ?? Date.now(), revokedAtDrain };
}
