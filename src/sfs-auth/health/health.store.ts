import type { SfsTokenHealthFigures } from '../model/health-figures';

/** Port: the figures the health indicator and the metrics gauges read from the database. */
export interface SfsHealthStore {
  /** Module-wide figures (all tenants); a refresh is overdue `overdueAfterMs` past `refresh_at`. */
  figures(now: Date, overdueAfterMs: number): Promise<SfsTokenHealthFigures>;
}
/** Injection token of the {@link SfsHealthStore} port. */
export const SfsHealthStore = Symbol('SfsHealthStore');
