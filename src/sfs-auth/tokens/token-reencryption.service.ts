import { Inject, Injectable } from '@nestjs/common';
import { SfsClock } from '../clock/clock';
import { SfsKeyRing } from '../crypto/key-ring';
import { SfsTokenCipher } from '../crypto/token-cipher';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { SFS_AUTH_EVENTS, SfsTokenFailedEvent } from '../events/sfs-auth-events';
import { SfsEventPublisher } from '../events/sfs-event.publisher';
import { SfsTokenStore } from '../persistence/token.store';

/** What a re-encryption run did. */
export interface SfsReencryptReport {
  /** Rows moved to the current key. */
  readonly resealed: number;
  /** Rows whose material could not be decrypted (now `failed`, with an audit event). */
  readonly failed: number;
  /** Rows skipped because they changed meanwhile (a later run picks them up). */
  readonly skipped: number;
}

/**
 * Key rotation: moves every row sealed under an older key to the ring's current key, in batches
 * (resumable: each run starts over from what is still sealed under another key). A row whose key is
 * missing is marked `failed` and reported, never crashing the run.
 */
@Injectable()
export class SfsTokenReencryptionService {
  constructor(
    @Inject(SfsTokenStore) private readonly store: SfsTokenStore,
    private readonly ring: SfsKeyRing,
    private readonly cipher: SfsTokenCipher,
    private readonly publisher: SfsEventPublisher,
    @Inject(SfsClock) private readonly clock: SfsClock,
  ) {}

  async run(batchSize = 500): Promise<SfsReencryptReport> {
    const report = { resealed: 0, failed: 0, skipped: 0 };
    const target = this.ring.current.id;
    let afterId: string | null = null;
    for (;;) {
      const rows = await this.store.findSealedNotUnder(target, afterId, batchSize);
      for (const row of rows) {
        const context = { tenantId: row.tenantId, tokenId: row.id };
        const event = {
          tenantId: row.tenantId,
          tokenId: row.id,
          actor: 'system',
          at: new Date(this.clock.now()),
        };
        if (!row.sealed) continue;
        let plaintext: string;
        try {
          plaintext = this.cipher.open(row.sealed, context);
        } catch (error) {
          const code = error instanceof SfsAuthError ? error.code : 'DECRYPTION_FAILED';
          const marked = await this.store.markUndecryptable(row.id, row.version, code, {
            ...event,
            type: 'key_missing',
            reason: code,
          });
          if (marked) {
            report.failed++;
            this.publisher.publish(
              SFS_AUTH_EVENTS.tokenFailed,
              new SfsTokenFailedEvent(row.tenantId, row.id, 'reencrypt', code, true),
            );
          } else report.skipped++;
          continue;
        }
        const sealed = this.cipher.seal(plaintext, context);
        const detail = { fromKeyId: row.sealed.keyId, toKeyId: sealed.keyId };
        const moved = await this.store.reseal(row.id, row.version, sealed, {
          ...event,
          type: 'key_rotated',
          detail,
        });
        if (moved) report.resealed++;
        else report.skipped++;
      }
      if (rows.length < batchSize) return report;
      afterId = rows[rows.length - 1].id;
    }
  }
}
