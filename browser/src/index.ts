/**
 * `nestjs-sfs-auth/browser`: the signed-in user's SFS client token in the browser, kept live.
 * No dependencies; talks only to the host's own origin (`GET <url>` and `GET <url>/stream`).
 *
 * ```ts
 * import { createSfsTokenSource } from 'nestjs-sfs-auth/browser';
 * const tokens = createSfsTokenSource({ url: '/sfs/session/token' });
 * const accessToken = await tokens.getToken();
 * tokens.onChange((token) => sfsComponent.setToken(token.accessToken));
 * tokens.onRevoked(() => showSignedOut());
 * ```
 *
 * @packageDocumentation
 * @module nestjs-sfs-auth/browser
 */

/**
 * The token as the hand-off route gives it.
 *
 * @group Browser
 * @publicApi
 */
export interface SfsBrowserToken {
  /** The SFS client token, for the SFS components' `Authorization: Bearer` header. */
  readonly accessToken: string;
  /** When SFS stops accepting it. */
  readonly expiresAt: Date;
  /** From then on the server has the replacement: the source asks again by itself. */
  readonly renewAt: Date;
}

/**
 * Options of {@link createSfsTokenSource}.
 *
 * @group Browser
 * @publicApi
 */
export interface SfsTokenSourceOptions {
  /** The hand-off route, e.g. `/sfs/session/token` (same origin). */
  readonly url: string;
  /** The live stream. @default `${url}/stream` */
  readonly streamUrl?: string;
  /** Use the stream when the browser has `EventSource`. @default true */
  readonly live?: boolean;
  /** First reconnection delay of the stream, doubled up to 30 s. @default 1000 */
  readonly reconnectMs?: number;
}

/**
 * A live token of the signed-in user.
 *
 * @group Browser
 * @publicApi
 */
export interface SfsTokenSource {
  /** A live token: the one held while before its `renewAt`, else a fresh one from the server. */
  getToken(): Promise<string>;
  /** The token held now, if any. */
  current(): SfsBrowserToken | null;
  /** Called with each new token (pushed by the server, or fetched at `renewAt`). */
  onChange(listener: (token: SfsBrowserToken) => void): () => void;
  /** Called once the token is revoked (a logout elsewhere, an admin) or the user is signed out. */
  onRevoked(listener: (reason: string) => void): () => void;
  /** Stops the stream and the timers. */
  close(): void;
}

/**
 * The server said no one is signed in (`401`), or the token was revoked.
 *
 * @group Browser
 * @publicApi
 */
export class SfsTokenRevokedError extends Error {
  constructor(
    /** `signed out` (the route answered `401`), or the reason the server gave for the revocation. */
    readonly reason: string,
  ) {
    super(`no SFS token: ${reason}`);
    this.name = 'SfsTokenRevokedError';
  }
}

const MAX_RECONNECT_MS = 30_000;
/** Longest pause between renewals that keep returning the same token. */
const MAX_RENEW_BACKOFF_MS = 60_000;

interface WireToken {
  accessToken: string;
  expiresAt: string;
  renewAt: string;
}

const parse = (wire: WireToken): SfsBrowserToken => ({
  accessToken: wire.accessToken,
  expiresAt: new Date(wire.expiresAt),
  renewAt: new Date(wire.renewAt),
});

/**
 * Creates a token source: it fetches on demand, follows the stream, and renews at `renewAt`.
 *
 * @group Browser
 * @publicApi
 */
export function createSfsTokenSource(options: SfsTokenSourceOptions): SfsTokenSource {
  const streamUrl = options.streamUrl ?? `${options.url.replace(/\/+$/, '')}/stream`;
  const changeListeners = new Set<(token: SfsBrowserToken) => void>();
  const revokedListeners = new Set<(reason: string) => void>();
  let token: SfsBrowserToken | null = null;
  let inFlight: Promise<SfsBrowserToken> | null = null;
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let stream: EventSource | null = null;
  let reconnectMs = options.reconnectMs ?? 1000;
  let revoked: string | null = null;
  let closed = false;
  /** Renewals in a row that returned the token already held (a clock ahead of the server's). */
  let unchanged = 0;

  const accept = (next: SfsBrowserToken) => {
    const changed = token?.accessToken !== next.accessToken;
    const wasRevoked = revoked !== null;
    unchanged = changed ? 0 : unchanged + 1;
    token = next;
    revoked = null;
    scheduleRenew();
    // Signed in again after a revocation: follow the new session's stream.
    if (wasRevoked && options.live !== false && !stream) openStream();
    if (changed) changeListeners.forEach((listener) => listener(next));
  };

  const revoke = (reason: string) => {
    token = null;
    if (revoked !== null) return;
    revoked = reason;
    clearTimeout(renewTimer);
    stopStream();
    revokedListeners.forEach((listener) => listener(reason));
  };

  const fetchToken = (): Promise<SfsBrowserToken> => {
    inFlight ??= (async () => {
      try {
        const response = await fetch(options.url, {
          credentials: 'same-origin',
          cache: 'no-store',
          headers: { accept: 'application/json' },
        });
        if (response.status === 401) {
          revoke('signed out');
          throw new SfsTokenRevokedError('signed out');
        }
        if (!response.ok) throw new Error(`the token route answered ${response.status}`);
        const next = parse((await response.json()) as WireToken);
        accept(next);
        return next;
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };

  // Also with the stream open: a renewal at renewAt costs one request and covers a lost push.
  // A browser clock ahead of the server's sees renewAt already past: renewals that bring the same
  // token back wait 1 s, 2 s, 4 s... (up to a minute) rather than asking in a loop.
  const scheduleRenew = () => {
    clearTimeout(renewTimer);
    if (closed || !token) return;
    const floor = unchanged === 0 ? 0 : Math.min(MAX_RENEW_BACKOFF_MS, 500 * 2 ** unchanged);
    const wait = Math.max(floor, token.renewAt.getTime() - Date.now());
    renewTimer = setTimeout(() => void fetchToken().catch(() => undefined), wait);
  };

  const stopStream = () => {
    clearTimeout(reconnectTimer);
    stream?.close();
    stream = null;
  };

  const openStream = () => {
    if (closed || revoked !== null || typeof EventSource === 'undefined') return;
    const source = new EventSource(streamUrl, { withCredentials: false });
    stream = source;
    source.addEventListener('open', () => {
      reconnectMs = options.reconnectMs ?? 1000;
    });
    source.addEventListener('token', (event) => {
      accept(parse(JSON.parse((event as MessageEvent<string>).data) as WireToken));
    });
    source.addEventListener('revoked', (event) => {
      const { reason } = JSON.parse((event as MessageEvent<string>).data) as { reason?: string };
      revoke(reason ?? 'revoked');
    });
    source.addEventListener('error', () => {
      // Closed for good (an error answer, or the server ended the stream): reconnect with backoff.
      if (source.readyState !== EventSource.CLOSED || stream !== source) return;
      stream = null;
      reconnectTimer = setTimeout(openStream, reconnectMs);
      reconnectMs = Math.min(MAX_RECONNECT_MS, reconnectMs * 2);
    });
  };

  if (options.live !== false) openStream();

  return {
    async getToken() {
      if (token && Date.now() < token.renewAt.getTime()) return token.accessToken;
      return (await fetchToken()).accessToken;
    },
    current: () => token,
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    onRevoked(listener) {
      revokedListeners.add(listener);
      return () => revokedListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(renewTimer);
      stopStream();
    },
  };
}
