import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
  type OnModuleInit,
  UnauthorizedException,
} from '@nestjs/common';
import { Observable, type Subscriber } from 'rxjs';
import { SfsClock } from '../clock/clock';
import { SfsTokenChangeFeed } from '../change-feed/token-change.feed';
import { sfsErrorCode } from '../errors/safe-error';
import { assertIdentifier } from '../model/identifiers';
import { browserRenewAt } from '../model/refresh-schedule';
import { toTokenKey } from '../model/token-inputs';
import { type SfsHandoffSubject } from '../options/sfs-auth-options.interface';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { SfsServingStore } from '../serving/serving.store';
import { SfsMetricsRecorder } from '../options/metrics-recorder';
import { type SfsClientToken, SfsTokenService } from '../host-api/sfs-token.service';

/**
 * What the browser is handed: the token, its expiry, and when to ask again.
 *
 * @internal
 */
export interface SfsHandedToken {
  readonly accessToken: string;
  readonly expiresAt: string;
  /** Ask again from then on: the module serves the replacement by that time. */
  readonly renewAt: string;
}

/**
 * One Server-Sent Event, in the shape Nest's `@Sse()` writes.
 *
 * @internal
 */
export interface SfsSessionEvent {
  readonly type: 'token' | 'revoked' | 'heartbeat';
  readonly data: SfsHandedToken | { readonly reason: string } | Record<string, never>;
}

/** One open stream: whose, which token it last sent, and where its events go. */
interface OpenStream {
  readonly subject: SfsHandoffSubject;
  readonly subjectKey: string;
  tokenId: string | null;
  checking: Promise<void>;
  readonly subscriber: Subscriber<SfsSessionEvent>;
}

const keyOf = (s: SfsHandoffSubject) => `${s.tenantId}\u0000${s.clientKey}\u0000${s.subjectId}`;

/**
 * The browser hand-off: the signed-in subject's client token (the one `getClientToken` serves it),
 * and live streams that push its replacement and its revocation. A stream watches the token it
 * last sent through the change feed (so across instances, behind PgBouncer too), and reads the
 * row again when that token changes.
 *
 * @internal
 */
@Injectable()
export class SfsSessionTokenService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('SfsSessionToken');
  private readonly byToken = new Map<string, Set<OpenStream>>();
  private readonly perSubject = new Map<string, number>();
  private readonly streams = new Set<OpenStream>();
  private unsubscribe: Array<() => void> = [];
  private closing = false;

  constructor(
    private readonly tokens: SfsTokenService,
    private readonly rows: SfsServingStore,
    @Inject(SfsTokenChangeFeed) private readonly feed: SfsTokenChangeFeed,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'handoff' | 'refreshLeadSeconds'>,
    @Inject(SfsMetricsRecorder) private readonly metrics: SfsMetricsRecorder,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = [
      this.feed.subscribe((change) => {
        for (const stream of this.byToken.get(change.tokenId) ?? []) this.recheck(stream);
      }),
      // Changes may have been missed: every stream reads its token again.
      this.feed.onReset(() => this.streams.forEach((stream) => this.recheck(stream))),
    ];
  }

  /** Closes every stream (the browser reconnects to another instance) before the app stops. */
  onModuleDestroy(): void {
    this.closing = true;
    this.unsubscribe.forEach((unsubscribe) => unsubscribe());
    for (const stream of [...this.streams]) stream.subscriber.complete();
  }

  /** The subject the host's resolver names for `request`: 404 without a resolver, 401 for no one. */
  async subjectOf(request: unknown): Promise<SfsHandoffSubject> {
    const resolve = this.options.handoff.resolveSubject;
    if (!resolve) throw new NotFoundException('the token hand-off is not configured');
    const subject = await resolve(request);
    if (subject === null || subject === undefined) {
      this.metrics.countHandoff?.('unauthenticated');
      throw new UnauthorizedException('no signed-in user');
    }
    // A subject is required: a tenant's service token is never handed to a browser.
    assertIdentifier('subjectId', subject.subjectId);
    const { tenantId, clientKey } = toTokenKey(subject);
    return { tenantId, clientKey, subjectId: subject.subjectId };
  }

  /** The subject's live token, as `getClientToken` serves it. */
  async handOff(subject: SfsHandoffSubject): Promise<SfsHandedToken> {
    const token = await this.tokens.getClientToken(subject, 'handoff');
    this.metrics.countHandoff?.('served');
    return this.handed(token);
  }

  /**
   * A stream of the subject's token: `token` now and on every replacement, `revoked` (then the
   * end) once it is revoked or lapses. Refused past the per-subject and per-instance bounds.
   */
  open(subject: SfsHandoffSubject): Observable<SfsSessionEvent> {
    const subjectKey = keyOf(subject);
    const { maxStreams, maxStreamsPerSubject, heartbeatMs } = this.options.handoff;
    if (this.closing || this.streams.size >= maxStreams) {
      this.metrics.countHandoff?.('stream_refused');
      throw new HttpException(
        'too many open token streams here; retry',
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    if ((this.perSubject.get(subjectKey) ?? 0) >= maxStreamsPerSubject) {
      this.metrics.countHandoff?.('stream_refused');
      throw new HttpException(
        `at most ${maxStreamsPerSubject} open token streams per user`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    return new Observable<SfsSessionEvent>((subscriber) => {
      const stream: OpenStream = {
        subject,
        subjectKey,
        tokenId: null,
        checking: Promise.resolve(),
        subscriber,
      };
      this.streams.add(stream);
      this.perSubject.set(subjectKey, (this.perSubject.get(subjectKey) ?? 0) + 1);
      this.metrics.countHandoff?.('stream_opened');
      this.recheck(stream);
      const heartbeat = setInterval(
        () => subscriber.next({ type: 'heartbeat', data: {} }),
        heartbeatMs,
      );
      heartbeat.unref();
      return () => {
        clearInterval(heartbeat);
        this.forget(stream);
      };
    });
  }

  /** Reads the stream's token again, one read at a time per stream. */
  private recheck(stream: OpenStream): void {
    stream.checking = stream.checking
      .then(() => this.check(stream))
      .catch((error: unknown) => {
        this.logger.warn(
          `token stream of tenant ${stream.subject.tenantId}: ${sfsErrorCode(error) ?? 'error'}`,
        );
      });
  }

  private async check(stream: OpenStream): Promise<void> {
    if (stream.subscriber.closed) return;
    const { tenantId } = stream.subject;
    if (stream.tokenId !== null) {
      const record = await this.rows.findById(tenantId, stream.tokenId);
      if (record?.status === 'active') return;
      if (!record || record.status === 'revoking' || record.status === 'revoked') {
        return this.end(stream, record?.revokeReason ?? 'revoked');
      }
      // Replaced (or lapsed): the key's active row, if any, is what the subject is served now.
      const active = await this.rows.findActive(stream.subject);
      if (!active) return this.end(stream, record.status === 'failed' ? 'failed' : 'expired');
    }
    const token = await this.tokens.getClientToken(stream.subject, 'handoff');
    if (stream.subscriber.closed || token.tokenId === stream.tokenId) return;
    this.watch(stream, token.tokenId);
    stream.subscriber.next({ type: 'token', data: this.handed(token) });
    this.metrics.countHandoff?.('pushed_token');
  }

  private end(stream: OpenStream, reason: string): void {
    stream.subscriber.next({ type: 'revoked', data: { reason } });
    this.metrics.countHandoff?.('pushed_revoked');
    stream.subscriber.complete();
  }

  private watch(stream: OpenStream, tokenId: string): void {
    if (stream.tokenId !== null) this.byToken.get(stream.tokenId)?.delete(stream);
    stream.tokenId = tokenId;
    let set = this.byToken.get(tokenId);
    if (!set) this.byToken.set(tokenId, (set = new Set()));
    set.add(stream);
  }

  private forget(stream: OpenStream): void {
    if (!this.streams.delete(stream)) return;
    this.metrics.countHandoff?.('stream_closed');
    if (stream.tokenId !== null) {
      const set = this.byToken.get(stream.tokenId);
      set?.delete(stream);
      if (set?.size === 0) this.byToken.delete(stream.tokenId);
    }
    const left = (this.perSubject.get(stream.subjectKey) ?? 1) - 1;
    if (left > 0) this.perSubject.set(stream.subjectKey, left);
    else this.perSubject.delete(stream.subjectKey);
  }

  private handed(token: SfsClientToken): SfsHandedToken {
    const renewAt = browserRenewAt(
      token.expiresAt.getTime(),
      this.clock.now(),
      this.options.refreshLeadSeconds * 1000,
    );
    return {
      accessToken: token.accessToken,
      expiresAt: token.expiresAt.toISOString(),
      renewAt: new Date(renewAt).toISOString(),
    };
  }
}
