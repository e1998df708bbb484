import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { assertIdentifier } from '../tokens/identifiers';
import { SfsTokenService } from '../tokens/sfs-token.service';
import { SFS_AUTH_EVENTS, SfsLoginEvent, SfsLogoutEvent } from './sfs-auth-events';

/**
 * Listens to the host's login and logout events. Each handler delegates, and catches and logs its
 * own failure with the tenant id (a host that must know awaits `SfsTokenService` directly).
 */
@Injectable()
export class SfsAuthEventListener {
  private readonly logger = new Logger(SfsAuthEventListener.name);

  constructor(private readonly tokens: SfsTokenService) {}

  /** Mints the subject's token eagerly. */
  @OnEvent(SFS_AUTH_EVENTS.login, { async: true, promisify: true })
  async onLogin(event: SfsLoginEvent): Promise<void> {
    try {
      await this.tokens.getClientToken(
        { tenantId: event.tenantId, clientKey: event.clientKey, subjectId: event.subjectId },
        'event',
      );
    } catch (error) {
      this.logger.error(`login of tenant ${safe(event?.tenantId)} failed: ${code(error)}`);
    }
  }

  /** Queues the revocation of every live token of the subject (of one client, when given). */
  @OnEvent(SFS_AUTH_EVENTS.logout, { async: true, promisify: true })
  async onLogout(event: SfsLogoutEvent): Promise<void> {
    try {
      // Without a subject, revoke() would cover the whole tenant: a logout always names one.
      assertIdentifier('subjectId', event?.subjectId);
      await this.tokens.revoke(
        { tenantId: event.tenantId, subjectId: event.subjectId, clientKey: event.clientKey },
        event.reason ?? 'logout',
        'event',
      );
    } catch (error) {
      this.logger.error(`logout of tenant ${safe(event?.tenantId)} failed: ${code(error)}`);
    }
  }
}

function code(error: unknown): string {
  if (error instanceof SfsAuthError) return `${error.code} ${error.message}`;
  return (error as Error)?.name ?? 'error';
}

/** Only a valid-looking identifier goes into a log line. */
function safe(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z0-9._:@-]{1,128}$/.test(value) ? value : '(invalid)';
}
