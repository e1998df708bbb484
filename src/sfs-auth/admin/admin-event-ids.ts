import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SfsKeyRing } from '../crypto/key-ring';
import { SfsInvalidInputError } from '../errors/sfs-auth.error';

const derive = (ring: SfsKeyRing, info: string) =>
  Buffer.from(hkdfSync('sha256', ring.fingerprintKey, Buffer.alloc(0), info, 32));

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * What an admin sees of audit events, whose row ids come from one sequence shared by every tenant:
 * ids and page positions that reveal nothing of other tenants' activity. The id is an HMAC of the
 * tenant and the row id (stable, the same on every instance: its key derives from the key ring);
 * the position in a cursor is the row id sealed with AES-256-GCM, bound to the tenant.
 *
 * @internal
 */
@Injectable()
export class SfsAdminEventIds {
  private readonly idKey: Buffer;
  private readonly positionKey: Buffer;

  constructor(ring: SfsKeyRing) {
    this.idKey = derive(ring, 'nestjs-sfs-auth/admin-event-id');
    this.positionKey = derive(ring, 'nestjs-sfs-auth/admin-event-position');
  }

  /** The event's id as shown: 22 base64url characters, no order, no count. */
  publicId(tenantId: string, rowId: string): string {
    return createHmac('sha256', this.idKey)
      .update(`${tenantId}\u0000${rowId}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }

  /** The row id a next page starts after, sealed for a cursor of `tenantId`. */
  sealPosition(tenantId: string, rowId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.positionKey, iv).setAAD(
      Buffer.from(tenantId),
    );
    const sealed = Buffer.concat([cipher.update(rowId, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** The row id of a sealed position; `SfsInvalidInputError('cursor')` when it does not open. */
  openPosition(tenantId: string, position: unknown): string {
    const bytes =
      typeof position === 'string' ? Buffer.from(position, 'base64url') : Buffer.alloc(0);
    try {
      if (bytes.length <= IV_BYTES + TAG_BYTES) throw new Error('short');
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.positionKey,
        bytes.subarray(0, IV_BYTES),
      )
        .setAAD(Buffer.from(tenantId))
        .setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const rowId = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
      if (!/^\d{1,19}$/.test(rowId)) throw new Error('not a row id');
      return rowId;
    } catch {
      throw new SfsInvalidInputError('cursor', 'is invalid or was issued for another query');
    }
  }
}
