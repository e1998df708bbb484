import { sfsHealthVerdict, type SfsHealthProblem } from './sfs-auth.health-verdict';
import type { SfsTokenHealthGauges } from '../model/health-gauges';

const NOW = Date.UTC(2026, 0, 1, 12);
const thresholds = { maxOverdueRefreshes: 2, maxRevocationAgeMs: 600_000 };
const quiet: SfsTokenHealthGauges = {
  overdueRefreshes: 0,
  pendingRevocations: 0,
  oldestPendingRevocationAt: null,
  failedRevocations: 0,
  failedTokens: 0,
  activeTokens: 5,
};
const pendingFor = (ageMs: number) => ({
  pendingRevocations: 1,
  oldestPendingRevocationAt: new Date(NOW - ageMs),
});

describe('sfsHealthVerdict', () => {
  it.each<[string, Partial<SfsTokenHealthGauges>, SfsHealthProblem[]]>([
    ['nothing pending', {}, []],
    ['overdue refreshes at the limit', { overdueRefreshes: 2 }, []],
    ['overdue refreshes beyond the limit', { overdueRefreshes: 3 }, ['overdue_refreshes']],
    ['a pending revocation exactly at the age limit', pendingFor(600_000), []],
    ['a pending revocation 1 ms past the age limit', pendingFor(600_001), ['stale_revocations']],
    ['a revocation requested "in the future" (clock skew)', pendingFor(-5_000), []],
    ['failed tokens and revocations only', { failedTokens: 9, failedRevocations: 9 }, []],
    [
      'both problems',
      { overdueRefreshes: 3, ...pendingFor(700_000) },
      ['overdue_refreshes', 'stale_revocations'],
    ],
  ])('%s → problems %j', (_, change, problems) => {
    const verdict = sfsHealthVerdict({ ...quiet, ...change }, NOW, thresholds);
    expect(verdict.problems).toEqual(problems);
    expect(verdict.healthy).toBe(problems.length === 0);
  });

  it('reports every figure, with the oldest revocation as an age never below zero', () => {
    const gauges = { ...quiet, overdueRefreshes: 1, failedRevocations: 2, failedTokens: 3 };
    expect(sfsHealthVerdict({ ...gauges, ...pendingFor(1234) }, NOW, thresholds).details).toEqual({
      db: 'up',
      overdueRefreshes: 1,
      pendingRevocations: 1,
      oldestPendingRevocationAgeMs: 1234,
      failedRevocations: 2,
      failedTokens: 3,
      activeTokens: 5,
    });
    const skewed = sfsHealthVerdict({ ...quiet, ...pendingFor(-5_000) }, NOW, thresholds);
    expect(skewed.details.oldestPendingRevocationAgeMs).toBe(0);
    expect(sfsHealthVerdict(quiet, NOW, thresholds).details.oldestPendingRevocationAgeMs).toBe(
      null,
    );
  });
});
