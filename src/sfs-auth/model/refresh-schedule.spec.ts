import { browserRenewAt, computeRefreshAt, effectiveLeadMs, isServable } from './refresh-schedule';

const MIN = 60_000;

describe('effectiveLeadMs', () => {
  it.each([
    // lifetime, lead, expected
    [30 * MIN, 5 * MIN, 5 * MIN],
    [30 * MIN, 20 * MIN, 15 * MIN], // capped at half the lifetime
    [10_000, 300_000, 5_000], // lifetime shorter than the lead
    [1, 300_000, 0],
    [0, 300_000, 0],
    [30 * MIN, 0, 0],
  ])('lifetime %d ms, lead %d ms → %d ms', (lifetime, lead, expected) => {
    expect(effectiveLeadMs(lifetime, lead)).toBe(expected);
  });
});

describe('computeRefreshAt', () => {
  const issuedAt = 1_000_000;
  it.each([
    // lifetime, lead, random, expected offset from issuedAt
    [30 * MIN, 5 * MIN, 0, 25 * MIN],
    [30 * MIN, 5 * MIN, 0.999999, 25 * MIN - Math.floor(0.999999 * 3 * MIN)],
    [30 * MIN, 60 * MIN, 0, 15 * MIN],
    [10_000, 300_000, 0.5, 10_000 - 5_000 - 500],
  ])('lifetime %d, lead %d, random %d', (lifetime, lead, random, offset) => {
    expect(
      computeRefreshAt({ issuedAt, expiresAt: issuedAt + lifetime, leadMs: lead, random }),
    ).toBe(issuedAt + offset);
  });

  it('is never due at birth and always before expiry, for any lifetime, lead and jitter', () => {
    for (const lifetime of [2, 10, 999, 10_000, 1_800_000, 86_400_000]) {
      for (const lead of [0, 1, 5_000, 300_000, 10_000_000]) {
        for (const random of [0, 0.25, 0.5, 0.9999999]) {
          const at = computeRefreshAt({
            issuedAt,
            expiresAt: issuedAt + lifetime,
            leadMs: lead,
            random,
          });
          expect(at).toBeGreaterThanOrEqual(issuedAt + Math.floor(0.4 * lifetime));
          expect(at).toBeLessThanOrEqual(issuedAt + lifetime);
          expect(at).toBeGreaterThan(issuedAt);
        }
      }
    }
  });
});

describe('isServable', () => {
  const token = { issuedAt: 0, expiresAt: 30 * MIN };
  it.each([
    [0, true],
    [25 * MIN - 1, true],
    [25 * MIN, false], // exactly the lead left: not served
    [30 * MIN, false],
    [31 * MIN, false],
  ])('at %d ms with a 5 min lead → %s', (now, expected) => {
    expect(isServable(token, now, 5 * MIN)).toBe(expected);
  });

  it('caps the lead at half the lifetime for short-lived tokens', () => {
    const short = { issuedAt: 0, expiresAt: 10_000 };
    expect(isServable(short, 4_999, 300_000)).toBe(true);
    expect(isServable(short, 5_000, 300_000)).toBe(false);
  });

  it('measures the lifetime from issuedAt, not from zero', () => {
    // Issued at 100 min, 30 min lifetime: the lead is 5 min (not capped: the lifetime is not 130 min).
    const later = { issuedAt: 100 * MIN, expiresAt: 130 * MIN };
    expect(isServable(later, 125 * MIN - 1, 5 * MIN)).toBe(true);
    expect(isServable(later, 125 * MIN, 5 * MIN)).toBe(false);
    // A 10 s token issued late: the lead is capped at 5 s of its own lifetime.
    const shortLater = { issuedAt: 1_000_000, expiresAt: 1_010_000 };
    expect(isServable(shortLater, 1_004_999, 300_000)).toBe(true);
    expect(isServable(shortLater, 1_005_000, 300_000)).toBe(false);
  });
});

describe('browserRenewAt', () => {
  const now = 1_000_000;
  const MIN = 60_000;

  it.each([
    ['half the lead before expiry', now + 30 * MIN, 5 * MIN, now + 30 * MIN - 2.5 * MIN],
    ['the lead capped at half the time left', now + MIN, 5 * MIN, now + 45_000],
    ['a quarter of the time left, when that is past 1 s', now + 1500, 5 * MIN, now + 1125],
    ['1 s from now even when half the lead is less', now + 1200, 5 * MIN, now + 1000],
    ['at expiry when that is within 1 s', now + 400, 5 * MIN, now + 400],
    ['now for a token already expired', now - 5000, 5 * MIN, now],
    ['a whole millisecond, rounded', now + 10_001, 1, now + 10_001],
  ])('%s', (_, expiresAt, leadMs, renewAt) => {
    expect(browserRenewAt(expiresAt, now, leadMs)).toBe(renewAt);
  });
});
