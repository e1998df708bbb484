import { Logger } from '@nestjs/common';
import { SfsManualClock } from '../clock/clock';
import type { SfsAuthResolvedOptions } from '../options/option-table';
import type { SfsMetricsRecorder } from '../options/metrics-recorder';
import { SfsAdminAuthThrottle, sfsThrottleClientOf } from './admin-auth.throttle';
import { illTyped } from '../../../test/support/ill-typed';

const options = (
  authFailureLimit: number,
  { authFailureWindowMs = 60_000, authFailureAlarmLimit = 1_000_000, ipv6Prefix = 64 } = {},
) =>
  illTyped<SfsAuthResolvedOptions>({
    admin: {
      keys: [],
      authFailureLimit,
      authFailureWindowMs,
      authFailureAlarmLimit,
      authThrottleIpv6Prefix: ipv6Prefix,
    },
  });

/** A recorder that counts the alarms it is told of (the port's optional method). */
class AlarmCounter implements SfsMetricsRecorder {
  alarms = 0;
  countOperation(): void {}
  observeSfsCall(): void {}
  countAdminAuthAlarm(): void {
    this.alarms += 1;
  }
}
const throttleOf = (
  opts: SfsAuthResolvedOptions,
  clock: SfsManualClock,
  metrics: SfsMetricsRecorder = new AlarmCounter(),
) => new SfsAdminAuthThrottle(opts, clock, metrics);

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
    const throttle = throttleOf(options(3), clock);
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
    const throttle = throttleOf(options(2), clock);
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
    const throttle = throttleOf(options(1), clock);
    throttle.recordFailure('first', 'acme');
    for (let i = 0; i < 10_000; i++) throttle.recordFailure(`client-${i}`, 'acme');
    expect(throttle.retryAfterMs('first')).toBe(0);
    expect(throttle.retryAfterMs('client-9999')).toBe(60_000);
  });

  it('counts attempts in flight against the budget until they settle (an async authorizer)', () => {
    const clock = new SfsManualClock(0);
    const throttle = throttleOf(options(3), clock);
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
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2:0:0:0:0/64'],
    ['2001:db8:1:2:ffff::1', '2001:db8:1:2:0:0:0:0/64'],
    ['2001:DB8:0001:0002::9%eth0', '2001:db8:1:2:0:0:0:0/64'],
    ['2001:db8::1', '2001:db8:0:0:0:0:0:0/64'],
    ['::1', '0:0:0:0:0:0:0:0/64'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0:0:0:0:0/64'],
    [undefined, 'unknown'],
    ['', 'unknown'],
    [' 127.0.0.1 ', '127.0.0.1'],
    ['::FFFF:10.20.30.40', '10.20.30.40'],
    ['x::ffff:1.2.3.4', 'x::ffff:1.2.3.4'],
    ['::ffff:1.2.3.4x', '::ffff:1.2.3.4x'],
    ['host name!', 'hostname'],
    ['h'.repeat(100), 'h'.repeat(64)],
  ])('the budget of %p is %p', (address, client) => {
    expect(sfsThrottleClientOf(address)).toBe(client);
  });

  it.each([
    [48, '2001:db8:1:0:0:0:0:0/48'],
    [56, '2001:db8:1:ab00:0:0:0:0/56'],
    [60, '2001:db8:1:abc0:0:0:0:0/60'],
    [128, '2001:db8:1:abcd:1:2:3:4/128'],
    [128, '64:ff9b:0:0:0:0:c000:221/128', '64:ff9b::192.0.2.33'],
    [128, '0:0:0:0:0:ffff:a14:1e28/128', '::ffff:a14:1e28'],
  ])(
    'admin.authThrottleIpv6Prefix %p counts %s as %p',
    (bits, client, address = '2001:db8:1:abcd:1:2:3:4') => {
      expect(sfsThrottleClientOf(address, bits)).toBe(client);
      const throttle = throttleOf(options(1, { ipv6Prefix: bits }), new SfsManualClock(0));
      expect(throttle.clientOf(address)).toBe(client);
    },
  );

  it('two addresses of one /64 share a budget; a neighbouring /64 has its own', () => {
    const throttle = throttleOf(options(2), new SfsManualClock(0));
    const a = throttle.clientOf('2001:db8:5:6::1');
    const b = throttle.clientOf('2001:db8:5:6:ffff:ffff:ffff:fffe');
    throttle.recordFailure(a, 'acme');
    throttle.recordFailure(b, 'acme');
    expect(throttle.reserve(throttle.clientOf('2001:db8:5:6::77'))).toBe(60_000);
    expect(throttle.reserve(throttle.clientOf('2001:db8:5:7::1'))).toBe(0);
  });

  it("raises one alarm per window when a tenant's failures from many clients reach the alarm limit, and locks nobody out", () => {
    const clock = new SfsManualClock(0);
    const metrics = new AlarmCounter();
    const throttle = throttleOf(options(20, { authFailureAlarmLimit: 100 }), clock, metrics);
    // 25 clients x 5 failures: each client far below its limit of 20; the tenant at 125.
    for (let i = 0; i < 125; i++) throttle.recordFailure(`10.0.${i % 25}.1`, 'acme');
    throttle.recordFailure('10.9.9.9', 'globex');
    const alarms = warnings.filter((w) => w.includes('alarm'));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatch(
      /tenant acme had 100 failed attempts from 25 client\(s\) within 60 s/,
    );
    expect(metrics.alarms).toBe(1);
    // An alert, not a lockout: every client (and a new one) may still try.
    expect(throttle.reserve('10.0.3.1')).toBe(0);
    expect(throttle.reserve('10.0.99.1')).toBe(0);
    // The next window alarms again.
    clock.advance(60_000);
    for (let i = 0; i < 100; i++) throttle.recordFailure(`10.1.${i % 50}.1`, 'acme');
    expect(metrics.alarms).toBe(2);
    expect(warnings.filter((w) => w.includes('alarm'))[1]).toMatch(/from 50 client/);
  });

  it('keeps only the latest `limit` failures, so the wait runs from the oldest of those', () => {
    const clock = new SfsManualClock(0);
    const throttle = throttleOf(options(2), clock);
    for (const at of [0, 10, 20]) {
      clock.set(at);
      throttle.recordFailure('10.0.0.1', 'acme');
    }
    expect(throttle.retryAfterMs('10.0.0.1')).toBe(10 + 60_000 - 20);
  });

  it('settles nothing it did not reserve: unknown clients, and more settles than reserves', () => {
    const throttle = throttleOf(options(1), new SfsManualClock(0));
    expect(() => throttle.settle('never-seen')).not.toThrow();
    expect(throttle.reserve('10.0.0.1')).toBe(0);
    throttle.settle('10.0.0.1');
    throttle.settle('10.0.0.1');
    expect(throttle.reserve('10.0.0.1')).toBe(0);
    expect(throttle.reserve('10.0.0.1')).toBe(1000);
  });

  it('a new client does not evict others below 10000, and a failing client becomes the most recent', () => {
    const throttle = throttleOf(options(1), new SfsManualClock(0));
    throttle.recordFailure('first', 'acme');
    for (let i = 0; i < 9_999; i++) throttle.recordFailure(`client-${i}`, 'acme');
    expect(throttle.retryAfterMs('first')).toBe(60_000);
    throttle.recordFailure('first', 'acme'); // now the most recent
    throttle.recordFailure('one-more', 'acme'); // evicts client-0, the least recent
    expect(throttle.retryAfterMs('first')).toBe(60_000);
    expect(throttle.retryAfterMs('client-0')).toBe(0);
    expect(throttle.retryAfterMs('client-1')).toBe(60_000);
  });

  it('says exactly why a client is refused, once per window', () => {
    const throttle = throttleOf(options(2), new SfsManualClock(0));
    throttle.recordFailure('192.0.2.7', 'globex');
    expect(warnings).toEqual([]);
    throttle.recordFailure('192.0.2.7', 'globex');
    expect(warnings).toEqual([
      'admin authentication: client 192.0.2.7 failed 2 times within 60 s (last tenant globex); ' +
        'its admin requests get 429 until the window passes',
    ]);
  });

  it('alarms on a tenant only from its alarm limit on, with the exact alert text', () => {
    const clock = new SfsManualClock(0);
    const metrics = new AlarmCounter();
    const throttle = throttleOf(options(100, { authFailureAlarmLimit: 2 }), clock, metrics);
    throttle.recordFailure('10.0.0.1', 'acme');
    expect(metrics.alarms).toBe(0);
    throttle.recordFailure('10.0.0.2', 'acme');
    expect(metrics.alarms).toBe(1);
    expect(warnings).toEqual([
      'admin authentication alarm: tenant acme had 2 failed attempts from 2 client(s) within ' +
        '60 s; an alert only, nobody is locked out (admin.authFailureAlarmLimit)',
    ]);
  });

  it('alarms without a recorder that counts alarms (the method is optional)', () => {
    const metrics: SfsMetricsRecorder = { countOperation() {}, observeSfsCall() {} };
    const throttle = throttleOf(
      options(100, { authFailureAlarmLimit: 1 }),
      new SfsManualClock(0),
      metrics,
    );
    expect(() => throttle.recordFailure('10.0.0.1', 'acme')).not.toThrow();
    expect(warnings.filter((w) => w.includes('alarm'))).toHaveLength(1);
  });

  it('counts tenants for the alarm in least-recently-failing order, forgetting past 10000', () => {
    const metrics = new AlarmCounter();
    const throttle = throttleOf(
      options(100, { authFailureAlarmLimit: 2 }),
      new SfsManualClock(0),
      metrics,
    );
    // A second tenant does not evict the first: their failures add up.
    throttle.recordFailure('10.0.0.1', 'a');
    throttle.recordFailure('10.0.0.1', 'b');
    throttle.recordFailure('10.0.0.1', 'a');
    expect(metrics.alarms).toBe(1);
    // 'first' failed once, then 10000 other tenants: 'first' is forgotten, so one more is its first.
    throttle.recordFailure('10.0.0.1', 'first');
    for (let i = 0; i < 10_000; i++) throttle.recordFailure(`10.0.${i % 200}.9`, `tenant-${i}`);
    throttle.recordFailure('10.0.0.1', 'first');
    expect(metrics.alarms).toBe(1);
    // 'kept' failed, 9999 others came, it failed again: the next new tenant evicts other-0, not it.
    const again = throttleOf(
      options(100, { authFailureAlarmLimit: 3 }),
      new SfsManualClock(0),
      metrics,
    );
    again.recordFailure('10.0.0.1', 'kept');
    for (let i = 0; i < 9_999; i++) again.recordFailure('10.0.0.2', `other-${i}`);
    again.recordFailure('10.0.0.1', 'kept');
    again.recordFailure('10.0.0.2', 'one-more');
    again.recordFailure('10.0.0.1', 'kept');
    expect(metrics.alarms).toBe(2);
  });
});
