import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { SfsHandoffSubject } from '../index';

/** The demo's session cookie (DEMO ONLY: it stands for the host's own sign-in). */
export const DEMO_SESSION_COOKIE = 'demo_session';

/**
 * DEMO ONLY: a signed, HttpOnly, SameSite=Strict cookie naming the subject `POST /demo/login`
 * signed in, read back by the module's `handoff.resolveSubject`. The signing key is derived from
 * the demo's encryption keys, so every instance of one demo accepts every other's cookies.
 */
export class DemoSessions {
  private readonly key: Buffer;

  constructor(secretMaterial: string) {
    this.key = Buffer.from(
      hkdfSync('sha256', secretMaterial, Buffer.alloc(0), 'nestjs-sfs-auth/demo-session', 32),
    );
  }

  /** `Set-Cookie` for a signed-in subject. */
  cookieFor(subject: SfsHandoffSubject): string {
    const payload = Buffer.from(
      JSON.stringify([subject.tenantId, subject.clientKey, subject.subjectId]),
    ).toString('base64url');
    return `${DEMO_SESSION_COOKIE}=${payload}.${this.sign(payload)}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** `Set-Cookie` that ends the session. */
  clearedCookie(): string {
    return `${DEMO_SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
  }

  /** The subject of a request's session cookie, or null (none, or not signed by this demo). */
  subjectOf(request: unknown): SfsHandoffSubject | null {
    const header = (request as { headers?: Record<string, unknown> }).headers?.cookie;
    if (typeof header !== 'string') return null;
    const value = header
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.startsWith(`${DEMO_SESSION_COOKIE}=`))
      ?.slice(DEMO_SESSION_COOKIE.length + 1);
    const [payload, mac] = (value ?? '').split('.');
    if (!payload || !mac) return null;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const [tenantId, clientKey, subjectId] = JSON.parse(
        Buffer.from(payload, 'base64url').toString('utf8'),
      ) as string[];
      return { tenantId, clientKey, subjectId };
    } catch {
      return null;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
