import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SfsKeyRing } from '../crypto/key-ring';
import { SfsInvalidInputError } from '../errors/sfs-auth.error';

const TAG_BYTES = 16;
/**
 * Longest cursor accepted, checked before any work. The longest one the lists issue is under 800
 * characters (a 128-character tenant filtered by a 128-character client key and subject).
 */
export const SFS_ADMIN_MAX_CURSOR_LENGTH = 1024;
/** HKDF info of the cursor HMAC key: changing it invalidates every cursor in flight. */
const CURSOR_KEY_INFO = 'nestjs-sfs-auth/admin-cursor';

/** What a cursor is bound to: the list it pages, the tenant and the filters of the first page. */
export interface SfsCursorScope {
  readonly list: 'tokens' | 'events';
  readonly tenantId: string;
  readonly filter: string;
}

/**
 * Opaque, tamper-checked page cursors: `base64url(json).base64url(hmac)`. The HMAC key is derived
 * from the key ring's fingerprint key, so every instance accepts every other's cursors; a cursor
 * only works for the list, tenant and filters it was issued for.
 *
 * @internal
 */
@Injectable()
export class SfsAdminCursorCodec {
  private readonly key: Buffer;

  constructor(ring: SfsKeyRing) {
    this.key = Buffer.from(
      hkdfSync('sha256', ring.fingerprintKey, Buffer.alloc(0), CURSOR_KEY_INFO, 32),
    );
  }

  encode<T>(scope: SfsCursorScope, position: T): string {
    const body = Buffer.from(JSON.stringify({ s: scope, p: position }), 'utf8').toString(
      'base64url',
    );
    return `${body}.${this.tag(body).toString('base64url')}`;
  }

  /**
   * The position of a cursor issued for `scope`; `SfsInvalidInputError('cursor')` for anything
   * else, whatever its shape (never a `RangeError` or a `SyntaxError`).
   */
  decode<T>(scope: SfsCursorScope, cursor: string): T {
    const invalid = () =>
      new SfsInvalidInputError('cursor', 'is invalid or was issued for another query');
    if (typeof cursor !== 'string' || cursor.length > SFS_ADMIN_MAX_CURSOR_LENGTH) throw invalid();
    const parts = cursor.split('.');
    if (parts.length !== 2) throw invalid();
    const [body, tag] = parts;
    // The tag is compared as the exact characters we issue: Buffer's base64url decoder ignores
    // junk and padding and lets 16 last characters decode alike, so decoding first would accept
    // many spellings of one tag. Equal lengths are checked first: timingSafeEqual throws otherwise.
    const given = Buffer.from(tag, 'utf8');
    const expected = Buffer.from(this.tag(body).toString('base64url'), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    const { s, p } = (parsed ?? {}) as { s?: SfsCursorScope; p?: T };
    if (!s || s.list !== scope.list || s.tenantId !== scope.tenantId || s.filter !== scope.filter) {
      throw invalid();
    }
    return p as T;
  }

  private tag(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, TAG_BYTES);
  }
}
