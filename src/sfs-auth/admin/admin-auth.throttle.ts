import { isIPv6 } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import {
  type SfsAuthResolvedOptions,
  SFS_AUTH_RESOLVED_OPTIONS,
} from '../options/sfs-auth-options.interface';

/** Clients remembered at most; the least recently failing ones are forgotten first. */
const MAX_CLIENTS = 10_000;
/** How long a client refused only for attempts in flight is told to wait. */
const IN_FLIGHT_RETRY_MS = 1000;
/** IPv6 clients are counted per /64 (one subscriber's network), as a single IPv4 address is. */
const IPV6_PREFIX_GROUPS = 4;

/**
 * The budget an address is counted against: an IPv4 address as it is (IPv4-mapped IPv6 too), an
 * IPv6 address by its /64 prefix, anything else as plain text.
 */
export function sfsThrottleClientOf(address: string | undefined): string {
  const plain = (address ?? '').replace(/%.*$/, '').trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (mapped) return mapped[1];
  if (!isIPv6(plain)) return plain.replace(/[^0-9a-z:.-]/g, '').slice(0, 64) || 'unknown';
  const [head, tail = ''] = plain.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = plain.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  const prefix = groups.slice(0, IPV6_PREFIX_GROUPS).map((g) => g.replace(/^0+(?=.)/, ''));
  return `${prefix.join(':')}::/64`;
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
 * A client is an IPv4 address or an IPv6 /64 ({@link sfsThrottleClientOf}). Past the limit, a client is refused until its oldest counted
 * failure leaves the window, whatever key it sends, so a correct guess cannot be told apart.
 * Per instance, in memory: N instances let a client make N × limit guesses per window, which
 * keeps a guess at a 16-character key out of reach while costing no database round trip on the
 * unauthenticated path (an attacker's cheapest lever on a shared store).
 */
@Injectable()
export class SfsAdminAuthThrottle {
  private readonly logger = new Logger('SfsAdminApi');
  private readonly clients = new Map<string, ClientFailures>();
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(
    @Inject(SFS_AUTH_RESOLVED_OPTIONS) options: SfsAuthResolvedOptions,
    @Inject(SfsClock) private readonly clock: SfsClock,
  ) {
    this.limit = options.admin.authFailureLimit;
    this.windowMs = options.admin.authFailureWindowMs;
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

  /** Counts one failed authentication of `client` (for `tenantId`), and logs a limit reached. */
  recordFailure(client: string, tenantId: string): void {
    const now = this.clock.now();
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

  private expire(entry: ClientFailures, now: number): void {
    while (entry.times.length > 0 && entry.times[0] <= now - this.windowMs) entry.times.shift();
  }
}
