import { Inject, Injectable } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SfsHealthStore } from './health.store';
import type { SfsAuthHealthGauges } from '../model/health-gauges';
import { sfsHealthVerdict } from './sfs-auth.health-verdict';
import { sfsDriverCode } from '../errors/safe-error';
import { SfsTokenChangeFeed } from '../change-feed/token-change.feed';

/**
 * Options of one {@link SfsAuthHealthIndicator.isHealthy} call.
 *
 * @inline
 */
export interface SfsHealthCheckOptions {
  /** Longest wait for the database before reporting it down (`error: 'TIMEOUT'`). @default 1000 */
  readonly timeoutMs?: number;
}

/**
 * A result in `@nestjs/terminus`' shape (`{ [key]: { status, ...details } }`), assignable to its
 * `HealthIndicatorResult`: the module builds it itself, so terminus is the host's choice, not a
 * dependency.
 *
 * @inline
 */
export type SfsHealthIndicatorResult = Record<
  string,
  {
    /** `down` when the database does not answer, or a threshold of `health` is crossed. */
    status: 'up' | 'down';
  } & Record<string, unknown>
>;

/** Same default as terminus' own database indicators. */
const DEFAULT_TIMEOUT_MS = 1000;

/**
 * Health of the module for `@nestjs/terminus`: use it inside `HealthCheckService.check`, e.g.
 * `() => sfsHealth.isHealthy()`. Down when the database does not answer, when more refreshes are
 * overdue than `health.maxOverdueRefreshes` allows, or when a revocation has been pending longer
 * than `health.maxRevocationAgeMs`. Results carry counts and ages only, never token material, and
 * `changeFeed` (mode `listen`, `poll` or `degraded`, and lag): a degraded feed does not make the
 * module down, since the cache then keeps entries only `cache.degradedTtlMs`.
 * Works whether or not the host imports `TerminusModule`.
 *
 * @hideconstructor
 * @group Health
 * @publicApi
 */
@Injectable()
export class SfsAuthHealthIndicator {
  constructor(
    private readonly store: SfsHealthStore,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'health'>,
    @Inject(SfsTokenChangeFeed) private readonly feed: SfsTokenChangeFeed,
  ) {}

  /** Module-wide gauges (all tenants), for metrics gauges; throws when the database fails. */
  async gauges(): Promise<SfsAuthHealthGauges> {
    const now = new Date(this.clock.now());
    const gauges = await this.store.gauges(now, this.options.health.overdueAfterMs);
    return { ...gauges, changeFeed: this.feed.status() };
  }

  /**
   * A terminus result under `key`: `up` with the gauges, or `down` with the gauges and the
   * `problems` found, or `down` with `{ db: 'down', error: <code> }` when the database fails.
   */
  async isHealthy(
    key = 'sfs-auth',
    options: SfsHealthCheckOptions = {},
  ): Promise<SfsHealthIndicatorResult> {
    const result = (status: 'up' | 'down', details: Record<string, unknown>) => ({
      [key]: { ...details, status },
    });
    let gauges: SfsAuthHealthGauges;
    try {
      gauges = await withTimeout(this.gauges(), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    } catch (error) {
      // A code only: driver messages can contain the connection URL, credentials or SQL.
      return result('down', { db: 'down', error: sfsDriverCode(error) ?? 'UNKNOWN' });
    }
    const verdict = sfsHealthVerdict(gauges, this.clock.now(), this.options.health);
    const details = { ...verdict.details, changeFeed: gauges.changeFeed };
    return verdict.healthy
      ? result('up', details)
      : result('down', { ...details, problems: verdict.problems });
  }
}

// A query blocked on a lock or a hung connection must not hang the health endpoint with it.
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
