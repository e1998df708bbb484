import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SfsClock } from '../clock/clock';
import { SfsAuthError } from '../errors/sfs-auth.error';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { PgSfsTokenChangeFeed } from './pg-token-change.feed';
import { SfsTokenChangeListeners } from './token-change.listeners';
import { SfsTokenChangePoller } from './token-change.poller';
import type { SfsChangeFeedStatus } from '../model/health-gauges';
import type { SfsTokenChange, SfsTokenChangeFeed } from './token-change.feed';

const FALLBACK_WARNING =
  'token change feed: a NOTIFY sent through the DataSource did not come back on the LISTEN ' +
  'connection (a transaction pooler such as PgBouncer, Supavisor or RDS Proxy drops ' +
  'notifications); polling the change sequence instead. Set changeFeed.listenUrl ' +
  '(SFS_LISTEN_DATABASE_URL) to a direct or session-mode URL to LISTEN, or changeFeed.mode ' +
  "(SFS_CHANGE_FEED_MODE) to 'poll' to skip the probe.";

/**
 * The module's {@link SfsTokenChangeFeed}: LISTEN/NOTIFY where it is proven to work, else polling
 * of the change sequence (`changeFeed.mode`):
 * - `listen`: LISTEN only; the boot fails unless a NOTIFY round trip is proven, and a later failed
 *   probe makes the feed `degraded` (short cache lifetimes) until one succeeds again;
 * - `poll`: polling only, no LISTEN connection;
 * - `auto`: LISTEN, proven at boot and every `probeIntervalMs`; while unproven, polling.
 * A probe NOTIFYs through the host's DataSource (the pooler, if any) and waits for the payload on
 * the LISTEN connection (`listenUrl`, if set).
 *
 * @internal
 */
@Injectable()
export class SfsChangeFeedService
  implements SfsTokenChangeFeed, OnModuleInit, OnModuleDestroy, OnApplicationShutdown
{
  private readonly logger = new Logger('SfsAuth');
  private readonly settings: SfsAuthResolvedOptions['changeFeed'];
  private readonly listener: PgSfsTokenChangeFeed | null;
  private readonly poller: SfsTokenChangePoller | null;
  private readonly listeners = new SfsTokenChangeListeners(this.logger);
  private proven = false;
  private polling = false;
  private warned = false;
  private probeRoundTripMs: number | null = null;
  private lastGoodAt: number | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private probing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS) options: Pick<SfsAuthResolvedOptions, 'changeFeed'>,
  ) {
    this.settings = options.changeFeed;
    const { mode, listenUrl, pollIntervalMs } = this.settings;
    this.listener = mode === 'poll' ? null : new PgSfsTokenChangeFeed(dataSource, listenUrl);
    this.listener?.subscribe((change) => this.emit(change));
    // While polling, the poller owns "changes may have been missed".
    this.listener?.onReset(() => !this.polling && this.emitReset());
    this.poller =
      mode === 'listen'
        ? null
        : new SfsTokenChangePoller(dataSource, clock, pollIntervalMs, {
            change: (change) => this.emit(change),
            reset: () => this.emitReset(),
          });
  }

  get connected(): boolean {
    return this.status().mode !== 'degraded';
  }

  status(): SfsChangeFeedStatus {
    const now = this.clock.now();
    const configured = this.settings.mode;
    if (!this.polling && this.proven && this.listener?.connected) {
      this.lastGoodAt = now;
      return { configured, mode: 'listen', lagMs: this.probeRoundTripMs };
    }
    const polledAt = this.poller?.lastSuccessAt ?? null;
    if (this.polling && this.poller?.healthy && polledAt !== null) {
      this.lastGoodAt = now;
      return { configured, mode: 'poll', lagMs: Math.max(0, now - polledAt) };
    }
    const since = this.lastGoodAt;
    return { configured, mode: 'degraded', lagMs: since === null ? null : now - since };
  }

  subscribe(listener: (change: SfsTokenChange) => void): () => void {
    return this.listeners.subscribe(listener);
  }

  onReset(listener: () => void): () => void {
    return this.listeners.onReset(listener);
  }

  async onModuleInit(): Promise<void> {
    if (!this.listener) {
      await this.startPolling();
      return;
    }
    await this.listener.start();
    await this.probeOnce();
    if (this.settings.mode === 'listen' && !this.proven) {
      await this.stop();
      throw new SfsAuthError(
        'CHANGE_FEED_UNPROVEN',
        "changeFeed.mode is 'listen' but a NOTIFY sent through the DataSource did not come back " +
          `on the LISTEN connection within ${this.settings.probeTimeoutMs} ms: behind a ` +
          'transaction pooler, set changeFeed.listenUrl (SFS_LISTEN_DATABASE_URL) to a direct or ' +
          "session-mode URL, or use mode 'auto' or 'poll'",
        false,
      );
    }
    this.probeTimer = setInterval(() => void this.probeOnce(), this.settings.probeIntervalMs);
    this.probeTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Proves (or disproves) the NOTIFY round trip now and switches mode accordingly. */
  probeOnce(): Promise<void> {
    this.probing ??= this.probe().finally(() => {
      this.probing = null;
    });
    return this.probing;
  }

  private async probe(): Promise<void> {
    if (!this.listener || this.stopped) return;
    const listening = this.listener.connected;
    const started = this.clock.now();
    const ok = await this.listener.probe(
      (channel, payload) => this.dataSource.query('SELECT pg_notify($1, $2)', [channel, payload]),
      this.settings.probeTimeoutMs,
    );
    if (this.stopped) return;
    if (ok) this.probeRoundTripMs = this.clock.now() - started;
    const was = this.proven;
    this.proven = ok;
    if (this.settings.mode === 'listen') {
      if (was && !ok) this.logger.error('token change feed: the NOTIFY round trip failed');
      if (was !== ok) this.emitReset();
      return;
    }
    if (ok && this.polling) {
      await this.stopPolling();
      this.logger.log('token change feed: NOTIFY round trip proven; listening, polling stopped');
      // Notifications may have been lost while the round trip was broken.
      this.emitReset();
    } else if (!ok && !this.polling) {
      if (!listening) {
        this.logger.warn('token change feed: the LISTEN connection is down; polling meanwhile');
      } else if (!this.warned) {
        this.logger.warn(FALLBACK_WARNING);
        this.warned = true;
      } else {
        this.logger.log('token change feed: NOTIFY round trip failed again; polling');
      }
      await this.startPolling();
      if (was) this.emitReset();
    }
  }

  private async startPolling(): Promise<void> {
    this.polling = true;
    await this.poller?.start();
  }

  private async stopPolling(): Promise<void> {
    this.polling = false;
    await this.poller?.stop();
  }

  private async stop(): Promise<void> {
    this.stopped = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    await this.probing;
    await this.poller?.stop();
    await this.listener?.stop();
  }

  private emit(change: SfsTokenChange): void {
    this.listeners.emit(change);
  }

  private emitReset(): void {
    this.listeners.reset();
  }
}
