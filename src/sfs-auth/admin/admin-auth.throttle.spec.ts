import { Logger } from '@nestjs/common';
import { SfsManualClock } from '../clock/clock';
import type { SfsAuthResolvedOptions } from '../options/sfs-auth-options.interface';
import { SfsAdminAuthThrottle, sfsThrottleClientOf } from './admin-auth.throttle';

const options = (authFailureLimit: number, authFailureWindowMs = 60_000) =>
  ({
    admin: { keys: [], authFailureLimit, authFailureWindowMs },
  }) as unknown as SfsAuthResolvedOptions;

describe('SfsAdminAuthThrottle (failed admin authentications per client, sliding window)', () => {
  let warnings: string[];
  beforeEach(() => {
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('lets a client fail `limit` times, then refuses it until its oldest failure leaves the window', () => {
    const clock = new SfsManualClock(1_000_000);
    const throttle = new SfsAdminAuthThrottle(options(3), clock);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterMs('10.0.0.1')).toBe(0);
      throttle.recordFailure('10.0.0.1', 'acme');
      clock.advance(10_000);
    }
    // Failures at 0 s, 10 s, 20 s; now 30 s: the first leaves the window at 60 s.
    expect(throttle.retryAfterMs('10.0.0.1')).toBe(30_000);
    expect(throttle.retryAfterMs('10.0.0.2')).toBe(0);
    clock.advance(29_999);
    expect(throttle.retryAfterMs('10.0.0.1')).toBe(1);
    clock.advance(1);
    expect(throttle.retryAfterMs('10.0.0.1')).toBe(0);
    // Sliding: one more failure fills the window again (failures at 10 s, 20 s, 60 s).
    throttle.recordFailure('10.0.0.1', 'acme');
    expect(throttle.retryAfterMs('10.0.0.1')).toBe(10_000);
  });

  it('logs one line per window with the client, tenant and count', () => {
    const clock = new SfsManualClock(0);
    const throttle = new SfsAdminAuthThrottle(options(2), clock);
    for (let i = 0; i < 50; i++) throttle.recordFailure('192.0.2.7', 'globex');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /client 192\.0\.2\.7 failed 2 times within 60 s \(last tenant globex\)/,
    );
    clock.advance(60_000);
    throttle.recordFailure('192.0.2.7', 'globex');
    throttle.recordFailure('192.0.2.7', 'globex');
    expect(warnings).toHaveLength(2);
  });

  it('forgets the least recently failing clients past 10000, so memory stays bounded', () => {
    const clock = new SfsManualClock(0);
    const throttle = new SfsAdminAuthThrottle(options(1), clock);
    throttle.recordFailure('first', 'acme');
    for (let i = 0; i < 10_000; i++) throttle.recordFailure(`client-${i}`, 'acme');
    expect(throttle.retryAfterMs('first')).toBe(0);
    expect(throttle.retryAfterMs('client-9999')).toBe(60_000);
  });

  it('counts attempts in flight against the budget until they settle (an async authorizer)', () => {
    const clock = new SfsManualClock(0);
    const throttle = new SfsAdminAuthThrottle(options(3), clock);
    expect([1, 2, 3].map(() => throttle.reserve('10.0.0.9'))).toEqual([0, 0, 0]);
    // Three unsettled: a fourth waits, whatever key it carries.
    expect(throttle.reserve('10.0.0.9')).toBe(1000);
    throttle.settle('10.0.0.9'); // a success frees its slot
    expect(throttle.reserve('10.0.0.9')).toBe(0);
    throttle.settle('10.0.0.9', 'acme');
    throttle.settle('10.0.0.9', 'acme');
    throttle.settle('10.0.0.9', 'acme');
    // Three failures recorded, none in flight: refused until the first leaves the window.
    expect(throttle.reserve('10.0.0.9')).toBe(60_000);
    expect(throttle.reserve('10.0.0.10')).toBe(0);
  });

  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff::1', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002::9%eth0', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('the budget of %p is %p', (address, client) => {
    expect(sfsThrottleClientOf(address)).toBe(client);
  });
});
