import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Client, type ClientConfig, type Notification } from 'pg';
import type { DataSource } from 'typeorm';
import { SFS_TOKEN_CHANGE_CHANNEL } from '../persistence/event.queries';
import { sfsListenClientConfig } from '../persistence/pg-connection-options';
import { SfsTokenChangeListeners } from './token-change.listeners';
import type { SfsTokenChange } from './token-change.feed';

/** Reconnect backoff: doubles from `baseMs` up to `maxMs`; each wait is jittered in [½, 1] of it. */
export interface SfsChangeFeedBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * {@link SfsTokenChangeFeed} over PostgreSQL `LISTEN sfs_auth_token` on a dedicated session
 * connection: `listenUrl` when given (a direct or session-mode URL, for hosts whose DataSource goes
 * through a transaction pooler), else the same server and credentials as the host's DataSource.
 * When the connection drops, `connected` turns false and it reconnects with capped backoff until
 * stopped. `connected` only means the LISTEN was accepted: behind a transaction pooler nothing is
 * ever delivered, which only {@link PgSfsTokenChangeFeed.probe} can tell.
 */
export class PgSfsTokenChangeFeed {
  /** Reconnect pacing; tests may shorten it before `start()`. */
  backoff: SfsChangeFeedBackoff = { baseMs: 100, maxMs: 5000 };
  private readonly logger = new Logger('SfsAuth');
  private readonly listeners = new SfsTokenChangeListeners(this.logger);
  /** A connection was lost since the last successful LISTEN: notifications may be missing. */
  private missed = false;
  private readonly config: ClientConfig;
  private client: Client | null = null;
  private isConnected = false;
  private running = false;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly probes = new Map<string, () => void>();

  constructor(dataSource: Pick<DataSource, 'options'>, listenUrl?: string) {
    this.config = sfsListenClientConfig(dataSource.options, listenUrl);
  }

  /** True while the LISTEN connection is up. */
  get connected(): boolean {
    return this.isConnected;
  }

  /** Registers a listener; returns its unsubscribe function. */
  subscribe(listener: (change: SfsTokenChange) => void): () => void {
    return this.listeners.subscribe(listener);
  }

  /**
   * Registers a listener for possibly missed changes (called when the connection is lost and again
   * once it is re-established); returns its unsubscribe function.
   */
  onReset(listener: () => void): () => void {
    return this.listeners.onReset(listener);
  }

  /** Starts listening (resolves after the first attempt, connected or not). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connect();
  }

  /** Stops listening: no reconnect timer survives, the connection is closed. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    this.isConnected = false;
    if (client) await client.end().catch(() => undefined);
  }

  /**
   * Proves the round trip: `send(channel, payload)` must NOTIFY `payload` on `channel` (through the
   * host's DataSource, pooler included). Resolves true once it comes back on this LISTEN
   * connection, false when it has not within `timeoutMs` or the send failed.
   */
  async probe(
    send: (channel: string, payload: string) => Promise<unknown>,
    timeoutMs: number,
  ): Promise<boolean> {
    if (!this.isConnected) return false;
    const nonce = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const back = new Promise<boolean>((resolve) => {
      this.probes.set(nonce, () => resolve(true));
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      await send(SFS_TOKEN_CHANGE_CHANNEL, JSON.stringify({ probe: nonce }));
      return await back;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      this.probes.delete(nonce);
    }
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = null;
    const client = new Client(this.config);
    this.client = client;
    client.on('notification', (message) => this.dispatch(message));
    // Attached for the client's whole life (an unhandled 'error' would crash the host); failures
    // while connecting are handled by the catch below, with their real cause.
    client.on('error', (error) => this.isConnected && this.lost(client, error));
    client.on('end', () => this.isConnected && this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${SFS_TOKEN_CHANGE_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.client !== client) return;
    this.isConnected = true;
    this.failures = 0;
    // Whatever changed while we were not listening was never delivered: everything is suspect.
    if (this.missed) {
      this.missed = false;
      this.reset();
    }
  }

  /** One handler for every way a connection dies; events of an abandoned client are ignored. */
  private lost(client: Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    const wasConnected = this.isConnected;
    this.isConnected = false;
    client.end().catch(() => undefined);
    if (!this.running) return;
    if (wasConnected) {
      this.missed = true;
      this.reset();
    }
    const why = error instanceof Error ? error.message : 'connection ended';
    const delay = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, 20);
    if (wasConnected || this.failures === 1) {
      const what = wasConnected ? 'disconnected' : 'cannot connect';
      this.logger.warn(`token change feed ${what} (${why}); retrying`);
    }
    this.reconnectTimer = setTimeout(() => void this.connect(), delay * (0.5 + Math.random() / 2));
    this.reconnectTimer.unref();
  }

  private reset(): void {
    this.listeners.reset();
  }

  private dispatch(message: Notification): void {
    if (message.channel !== SFS_TOKEN_CHANGE_CHANNEL || !message.payload) return;
    let change: SfsTokenChange;
    try {
      const parsed = JSON.parse(message.payload) as Partial<SfsTokenChange> & { probe?: unknown };
      if (typeof parsed.probe === 'string') return this.probes.get(parsed.probe)?.();
      if (typeof parsed.tenantId !== 'string' || typeof parsed.tokenId !== 'string') return;
      change = { tenantId: parsed.tenantId, tokenId: parsed.tokenId };
    } catch {
      return;
    }
    this.listeners.emit(change);
  }
}
