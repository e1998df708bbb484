import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  SFS_AUTH_EVENTS,
  type SfsTokenIssuedEvent,
  type SfsTokenRevokedEvent,
} from 'nestjs-sfs-auth';

/** The host's own listeners of the module's outbound events. */
@Injectable()
export class HostEventLog {
  readonly issued: SfsTokenIssuedEvent[] = [];
  readonly revoked: SfsTokenRevokedEvent[] = [];

  @OnEvent(SFS_AUTH_EVENTS.tokenIssued)
  onIssued(event: SfsTokenIssuedEvent): void {
    this.issued.push(event);
  }

  @OnEvent(SFS_AUTH_EVENTS.tokenRevoked)
  onRevoked(event: SfsTokenRevokedEvent): void {
    this.revoked.push(event);
  }
}
