import { Injectable } from '@nestjs/common';
import { SFS_AUTH_EVENTS, SfsTokenFailedEvent } from '../events/sfs-auth-events';
import { SfsEventPublisher } from '../events/sfs-event.publisher';
import type { SfsTokenRecord } from '../model/token-record';
import { sfsKeyAttributes, sfsTracer } from '../tracing/sfs-tracer';

/** What one refresh pass did to one claimed token. */
export type SfsRefreshOutcome =
  | { tokenId: string; outcome: 'refreshed'; newTokenId: string }
  | { tokenId: string; outcome: 'skipped'; reason: string }
  | { tokenId: string; outcome: 'expired' }
  | { tokenId: string; outcome: 'left-to-expire'; reason: string }
  | { tokenId: string; outcome: 'failed'; code: string; permanent: boolean };

/**
 * Everything observed about the refresh of one row, from outside the refresh protocol
 * (`token-refresh.service.ts`): span `sfs-auth.refresh` (the mint and its SFS attempts are its
 * children, counted by the mint's instrumentation) and the `tokenFailed` event of a failure.
 *
 * @internal
 */
@Injectable()
export class SfsRefreshInstrumentation {
  private readonly tracer = sfsTracer();

  constructor(private readonly publisher: SfsEventPublisher) {}

  /** Runs `refresh` for `row`, observed. */
  async observe(
    row: SfsTokenRecord,
    refresh: () => Promise<SfsRefreshOutcome>,
  ): Promise<SfsRefreshOutcome> {
    const outcome = await this.tracer.operation('refresh', sfsKeyAttributes(row), refresh);
    if (outcome.outcome === 'failed') {
      this.publisher.publish(
        SFS_AUTH_EVENTS.tokenFailed,
        new SfsTokenFailedEvent(row.tenantId, row.id, 'refresh', outcome.code, outcome.permanent),
      );
    }
    return outcome;
  }
}
