import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { assertIdentifier, sfsIsIdentifier } from '../model/identifiers';
import { SfsTokenService } from '../host-api/sfs-token.service';
import { SFS_AUTH_EVENTS, SfsLoginEvent, SfsLogoutEvent } from '../events/sfs-auth-events';
import { sfsErrorForLog } from '../errors/safe-error';

/**
 * Listens to the host's login and logout events. Each handler delegates, and catches and logs its
 * own failure with the tenant id (a host that must know awaits `SfsTokenService` directly).
 *
 * @internal
 */
@Injectable()
export class SfsAuthEventListener implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SfsAuthEventListener.name);
  private closing = false;
  /** Logouts waiting between two attempts: woken at shutdown for one last attempt. */
  private readonly waiting = new Set<() => void>();
  private readonly logouts = new Set<Promise<void>>();

  constructor(private readonly tokens: SfsTokenService) {}

  /**
   * A logout still retrying makes its last attempt now, while the database is still open, and
   * gives up with an error if that fails too: shutdown waits for that one attempt, not for the
   * retry delays.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.waiting.forEach((wake) => wake());
    await Promise.allSettled([...this.logouts]);
  }

  /** Mints the subject's token eagerly. */
  @OnEvent(SFS_AUTH_EVENTS.login, { async: true, promisify: true })
  async onLogin(event: SfsLoginEvent): Promise<void> {
    try {
      await this.tokens.getClientToken(
        { tenantId: event.tenantId, clientKey: event.clientKey, subjectId: event.subjectId },
        'event',
      );
    } catch (error) {
      this.logger.error(
        `login of tenant ${safe(event?.tenantId)} failed: ${sfsErrorForLog(error)}`,
      );
    }
  }

  /**
   * Queues the revocation of every live token of the subject (of one client, when given). A
   * failure that may pass (the database restarting, a dropped connection) is retried for about 15 s
   * before it is logged as an error, so a logout during a short outage is not dropped; the emitter's
   * `emitAsync` resolves once the revocation is queued (or given up). At shutdown, a logout still
   * being retried makes one last attempt at once (see {@link beforeApplicationShutdown}).
   */
  @OnEvent(SFS_AUTH_EVENTS.logout, { async: true, promisify: true })
  async onLogout(event: SfsLogoutEvent): Promise<void> {
    const logout = this.queueRevocation(event);
    this.logouts.add(logout);
    try {
      await logout;
    } finally {
      this.logouts.delete(logout);
    }
  }

  private async queueRevocation(event: SfsLogoutEvent): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        // Without a subject, revoke() would cover the whole tenant: a logout always names one.
        assertIdentifier('subjectId', event?.subjectId);
        await this.tokens.revoke(
          { tenantId: event.tenantId, subjectId: event.subjectId, clientKey: event.clientKey },
          event.reason ?? 'logout',
          'event',
        );
        return;
      } catch (error) {
        const wait = SFS_LOGOUT_RETRY_DELAYS_MS[attempt];
        if (wait === undefined || !mayPass(error) || this.closing) {
          const when = this.closing && wait !== undefined ? ' before shutdown' : '';
          this.logger.error(
            `logout of tenant ${safe(event?.tenantId)} failed${when}: ${sfsErrorForLog(error)}`,
          );
          return;
        }
        this.logger.warn(
          `logout of tenant ${safe(event?.tenantId)} failed, retrying: ${sfsErrorForLog(error)}`,
        );
        await this.pause(wait);
      }
    }
  }

  /** `ms`, or less when the app starts shutting down; never keeps the process alive. */
  private pause(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.waiting.add(wake);
    });
  }
}

/** Waits between attempts to queue a logout's revocations (about 15 s in all). */
export const SFS_LOGOUT_RETRY_DELAYS_MS: readonly number[] = [
  100, 200, 400, 800, 1600, 3200, 4000, 5000,
];

/** Bad input never passes; typed errors say whether they may; anything else (database) may. */
function mayPass(error: unknown): boolean {
  return error instanceof SfsAuthError ? error.retryable : true;
}

/** Only a valid-looking identifier goes into a log line. */
function safe(value: unknown): string {
  return sfsIsIdentifier(value) ? value : '(invalid)';
}
