import { Inject, Injectable } from '@nestjs/common';
import {
  SFS_AUTH_EVENTS,
  SfsTokenEventBase,
  SfsTokenIssuedEvent,
  SfsTokenRefreshedEvent,
} from '../events/sfs-auth-events';
import { SfsEventPublisher } from '../events/sfs-event.publisher';
import type { SfsTokenKey } from '../model/token-record';
import { SfsMetricsRecorder } from '../options/metrics-recorder';
import { sfsKeyAttributes, sfsTracer } from '../tracing/sfs-tracer';
import { sfsMintFailureOutcome, sfsMintSpanResult, type SfsMintOutcome } from './mint-outcome';

/** What a mint tells its instrumentation as it goes. */
export interface SfsMintProgress {
  /** SFS is about to be asked for the key's first token (`mint`) or a replacement (`refresh`). */
  asking(operation: 'mint' | 'refresh'): void;
  /** `ms` spent waiting for another claimant of the key. */
  waitedForLease(ms: number): void;
}

/**
 * Everything observed about a mint, from outside the mint protocol (`token-minter.ts`): span
 * `sfs-auth.mint` (renamed `sfs-auth.refresh` for a replacement), or the refresh span it runs in,
 * with the time spent waiting on another claimant's lease; `mint` and `refresh` counted for the
 * metrics recorder (once SFS was asked; `lost` is neither a success nor a failure); and the
 * `tokenIssued` / `tokenRefreshed` events of a token minted and recorded.
 *
 * @internal
 */
@Injectable()
export class SfsMintInstrumentation {
  private readonly tracer = sfsTracer();

  constructor(
    private readonly publisher: SfsEventPublisher,
    @Inject(SfsMetricsRecorder) private readonly metrics: SfsMetricsRecorder,
  ) {}

  /** Runs `mint` for `key`, observed. */
  observe(
    key: SfsTokenKey,
    mint: (progress: SfsMintProgress) => Promise<SfsMintOutcome>,
  ): Promise<SfsMintOutcome> {
    return this.tracer.operation(
      'mint',
      sfsKeyAttributes(key),
      async (span) => {
        // Set once SFS is about to be asked, so a failure before that (claim, read) counts as nothing.
        let asked: 'mint' | 'refresh' | undefined;
        const progress: SfsMintProgress = {
          asking: (operation) => {
            asked = operation;
            span.rename(operation);
          },
          waitedForLease: (ms) => span.addWait('lease', ms),
        };
        let outcome: SfsMintOutcome;
        try {
          outcome = await mint(progress);
        } catch (error) {
          if (asked) this.metrics.countOperation(asked, sfsMintFailureOutcome(asked, error));
          throw error;
        }
        if (outcome.kind === 'minted') {
          this.metrics.countOperation(outcome.replaced ? 'refresh' : 'mint', 'ok');
          this.announce(key, outcome);
        }
        return outcome;
      },
      { join: true, describe: sfsMintSpanResult },
    );
  }

  private announce(key: SfsTokenKey, outcome: Extract<SfsMintOutcome, { kind: 'minted' }>) {
    const base = new SfsTokenEventBase(
      key.tenantId,
      outcome.token.tokenId,
      key.clientKey,
      key.subjectId,
    );
    const expiresAt = new Date(outcome.token.expiresAt);
    if (outcome.replaced) {
      this.publisher.publish(
        SFS_AUTH_EVENTS.tokenRefreshed,
        new SfsTokenRefreshedEvent(base, outcome.replaced, expiresAt),
      );
    } else {
      this.publisher.publish(SFS_AUTH_EVENTS.tokenIssued, new SfsTokenIssuedEvent(base, expiresAt));
    }
  }
}
