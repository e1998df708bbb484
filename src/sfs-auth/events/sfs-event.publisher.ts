import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { SFS_AUTH_EVENTS } from './sfs-auth-events';
import { sfsErrorCode } from '../errors/safe-error';

type OutboundEventName = (typeof SFS_AUTH_EVENTS)[
  | 'tokenIssued'
  | 'tokenRefreshed'
  | 'tokenRevoked'
  | 'tokenFailed'
  | 'tenantOffboarded'
  | 'tokenLateAnswer'];

/**
 * Emits the module's outbound events, always after the state change was committed. A failing host
 * listener is logged and never breaks the module's own work.
 *
 * @internal
 */
@Injectable()
export class SfsEventPublisher {
  private readonly logger = new Logger(SfsEventPublisher.name);

  constructor(private readonly emitter: EventEmitter2) {}

  publish(name: OutboundEventName, payload: { tenantId: string }): void {
    try {
      this.emitter.emit(name, payload);
    } catch (error) {
      this.logger.warn(
        `a listener of ${name} failed for tenant ${payload.tenantId}: ${sfsErrorCode(error)}`,
      );
    }
  }
}
