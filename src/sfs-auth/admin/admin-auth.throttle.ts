import { isIPv6 } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { SfsMetricsRecorder } from '../options/metrics-recorder';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';

/** Clients remembered at most; the least recently failing ones are forgotten first. */
const MAX_CLIENTS = 10_000;
/** How long a client refused only for attempts in flight is told to wait. */
const IN_FLIGHT_RETRY_MS = 1000;
/** Tenants whose failures are counted for the alarm at most (least recently failing forgotten). */
const MAX_TENANTS = 10_000;

/**
 * The budget an address is counted against: an IPv4 address as it is (IPv4-mapped IPv6 too), an
 * IPv6 address by its network of `ipv6PrefixBits` (`2001:db8:1:2:0:0:0:0/64`), anything else as
 * plain text.
 */
export function sfsThrottleClientOf(address: string | undefined, ipv6PrefixBits = 64): string {
  const plain = (address ?? '').replace(/%.*$/, '').trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (mapped) return mapped[1];
  if (!isIPv6(plain)) return plain.replace(/[^0-9a-z:.-]/g, '').slice(0, 64) || 'unknown';
  const bits = Math.min(128, Math.max(0, Math.floor(ipv6PrefixBits)));
  const groups = ipv6Groups(plain).map((group, index) => {
    const kept = Math.min(16, Math.max(0, bits - index * 16));
    return (group & ~(0xffff >> kept) & 0xffff).toString(16);
  });
  return `${groups.join(':')}/${bits}`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail split). */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const hex = dotted
    ? address.slice(0, dotted.index) +
      [
        ((+dotted[1] << 8) | +dotted[2]).toString(16),
        ((+dotted[3] << 8) | +dotted[4]).toString(16),
      ].join(':')
    : address;
  const [head, tail] = hex.split('::');
  const parse = (part: string | undefined) =>
    part ? part.split(':').map((g) => parseInt(g, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  const middle = tail === undefined ? [] : Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...middle, ...right];
}

/** Failures for one tenant from every client, for the alarm. */
interface TenantFailures {
  /** Times of the failures still inside the window, oldest first (at most the alarm limit kept). */
  readonly times: number[];
  /** The client of each of `times`. */
  readonly clients: string[];
  /** End of the window already alarmed, so one alarm is raised per window. */
  alarmedUntil: number;
}

interface ClientFailures {
  /** Times of the failures still inside the window, oldest first (at most `limit` kept). */
  readonly times: number[];
  /** End of the window already reported in the log, so one line is written per window. */
  loggedUntil: number;
  /** Attempts reserved and not yet settled (their outcome is still unknown). */
  inFlight: number;
  tenantId: string;
}

/**
 * Failed admin authentications per client over a sliding window (`admin.authFailureLimit` per
 * `admin.authFailureWindowMs`), attempts still in flight counted as failures until they settle.
 * A client is an IPv4 address or an IPv6 network (`admin.authThrottleIpv6Prefix`, /64 by default). Past the limit, a client is refused until its oldest counted
 * failure leaves the window, whatever key it sends, so a correct guess cannot be told apart.
 * Per instance, in memory: N instances let a client make N × limit guesses per window, which
 * keeps a guess at a 16-character key out of reach while costing no database round trip on the
 * unauthenticated path (an attacker's cheapest lever on a shared store).
 *
 * @internal
 */
@Injectable()
export class SfsAdminAuthThrottle {
  private readonly logger = new Logger('SfsAdminApi');
  private readonly clients = new Map<string, ClientFailures>();
  private readonly tenants = new Map<string, TenantFailures>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly alarmLimit: number;
  private readonly ipv6PrefixBits: number;

  constructor(
    @Inject(SFS_AUTH_RESOLVED_OPTIONS) options: Pick<SfsAuthResolvedOptions, 'admin'>,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SfsMetricsRecorder) private readonly metrics: SfsMetricsRecorder,
  ) {
    this.limit = options.admin.authFailureLimit;
    this.windowMs = options.admin.authFailureWindowMs;
    this.alarmLimit = options.admin.authFailureAlarmLimit;
    this.ipv6PrefixBits = options.admin.authThrottleIpv6Prefix;
  }

  /** The budget `address` is counted against ({@link sfsThrottleClientOf} with the set prefix). */
  clientOf(address: string | undefined): string {
    return sfsThrottleClientOf(address, this.ipv6PrefixBits);
  }

  /** How long `client` must wait before its next attempt, in ms; 0 when it may try now. */
  retryAfterMs(client: string): number {
    const entry = this.clients.get(client);
    if (!entry) return 0;
    const now = this.clock.now();
    this.expire(entry, now);
    if (entry.times.length + entry.inFlight < this.limit) return 0;
    if (entry.times.length === 0) return IN_FLIGHT_RETRY_MS;
    return Math.max(1, entry.times[0] + this.windowMs - now);
  }

  /**
   * Checks `client` and, when it may try, reserves an attempt in the same synchronous step, so
   * attempts in flight count against the budget as failures do: pipelined, parallel or waiting on
   * an async authorizer, no more than `limit` unsettled-or-failed attempts pass. Returns 0 when
   * reserved (then call {@link settle} exactly once), else how long to wait, in ms.
   */
  reserve(client: string): number {
    const wait = this.retryAfterMs(client);
    if (wait > 0) return wait;
    this.entryOf(client).inFlight += 1;
    return 0;
  }

  /** Ends a reserved attempt: a success, or a failure counted for `failedTenantId`. */
  settle(client: string, failedTenantId?: string): void {
    const entry = this.clients.get(client);
    if (entry && entry.inFlight > 0) entry.inFlight -= 1;
    if (failedTenantId !== undefined) this.recordFailure(client, failedTenantId);
  }

  /**
   * Counts one failed authentication of `client` (for `tenantId`), logs a limit reached, and
   * raises the tenant's alarm when failures for it across every client reach the alarm limit.
   */
  recordFailure(client: string, tenantId: string): void {
    const now = this.clock.now();
    this.countForTenant(tenantId, client, now);
    const entry = this.entryOf(client);
    this.expire(entry, now);
    entry.times.push(now);
    entry.tenantId = tenantId;
    if (entry.times.length > this.limit) entry.times.shift();
    if (entry.times.length >= this.limit && now >= entry.loggedUntil) {
      entry.loggedUntil = now + this.windowMs;
      this.logger.warn(
        `admin authentication: client ${client} failed ${entry.times.length} times within ` +
          `${this.windowMs / 1000} s (last tenant ${tenantId}); its admin requests get 429 ` +
          `until the window passes`,
      );
    }
  }

  /** One warning and one metric per window once `tenantId`'s failures reach the alarm limit. */
  private countForTenant(tenantId: string, client: string, now: number): void {
    let entry = this.tenants.get(tenantId);
    if (entry) {
      this.tenants.delete(tenantId);
    } else {
      entry = { times: [], clients: [], alarmedUntil: 0 };
      if (this.tenants.size >= MAX_TENANTS) {
        this.tenants.delete(this.tenants.keys().next().value as string);
      }
    }
    this.tenants.set(tenantId, entry);
    this.expire(entry, now);
    entry.clients.splice(0, entry.clients.length - entry.times.length);
    entry.times.push(now);
    entry.clients.push(client);
    if (entry.times.length > this.alarmLimit) {
      entry.times.shift();
      entry.clients.shift();
    }
    if (entry.times.length < this.alarmLimit || now < entry.alarmedUntil) return;
    entry.alarmedUntil = now + this.windowMs;
    this.logger.warn(
      `admin authentication alarm: tenant ${tenantId} had ${entry.times.length} failed ` +
        `attempts from ${new Set(entry.clients).size} client(s) within ${this.windowMs / 1000} s; an ` +
        `alert only, nobody is locked out (admin.authFailureAlarmLimit)`,
    );
    this.metrics.countAdminAuthAlarm?.();
  }

  /** The client's entry, made the most recent one (the Map's order is the LRU order). */
  private entryOf(client: string): ClientFailures {
    let entry = this.clients.get(client);
    if (entry) {
      this.clients.delete(client);
    } else {
      entry = { times: [], loggedUntil: 0, tenantId: '', inFlight: 0 };
      if (this.clients.size >= MAX_CLIENTS) {
        this.clients.delete(this.clients.keys().next().value as string);
      }
    }
    this.clients.set(client, entry);
    return entry;
  }

  private expire(entry: { readonly times: number[] }, now: number): void {
    while (entry.times.length > 0 && entry.times[0] <= now - this.windowMs) entry.times.shift();
  }
}
