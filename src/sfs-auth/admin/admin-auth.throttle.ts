import { Inject, Injectable, Logger } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import {
  type SfsAuthResolvedOptions,
  SFS_AUTH_RESOLVED_OPTIONS,
} from '../options/sfs-auth-options.interface';

/** Clients remembered at most; the least recently failing ones are forgotten first. */
const MAX_CLIENTS = 10_000;

interface ClientFailures {
  /** Times of the failures still inside the window, oldest first (at most `limit` kept). */
  readonly times: number[];
  /** End of the window already reported in the log, so one line is written per window. */
  loggedUntil: number;
  tenantId: string;
}

/**
 * Failed admin authentications per client over a sliding window (`admin.authFailureLimit` per
 * `admin.authFailureWindowMs`). Past the limit, a client is refused until its oldest counted
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
    if (entry.times.length < this.limit) return 0;
    return Math.max(1, entry.times[0] + this.windowMs - now);
  }

  /** Counts one failed authentication of `client` (for `tenantId`), and logs a limit reached. */
  recordFailure(client: string, tenantId: string): void {
    const now = this.clock.now();
    let entry = this.clients.get(client);
    if (entry) {
      this.clients.delete(client); // re-inserted below: the Map's order is the LRU order
    } else {
      entry = { times: [], loggedUntil: 0, tenantId };
      if (this.clients.size >= MAX_CLIENTS) {
        this.clients.delete(this.clients.keys().next().value as string);
      }
    }
    this.expire(entry, now);
    entry.times.push(now);
    entry.tenantId = tenantId;
    if (entry.times.length > this.limit) entry.times.shift();
    this.clients.set(client, entry);
    if (entry.times.length >= this.limit && now >= entry.loggedUntil) {
      entry.loggedUntil = now + this.windowMs;
      this.logger.warn(
        `admin authentication: client ${client} failed ${entry.times.length} times within ` +
          `${this.windowMs / 1000} s (last tenant ${tenantId}); its admin requests get 429 ` +
          `until the window passes`,
      );
    }
  }

  private expire(entry: ClientFailures, now: number): void {
    while (entry.times.length > 0 && entry.times[0] <= now - this.windowMs) entry.times.shift();
  }
}
