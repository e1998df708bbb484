import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SfsClock } from '../clock/clock';
import { SfsApiError, SfsAuthError } from '../errors/sfs-auth.error';
import { type SfsAuthResolvedOptions, SFS_AUTH_RESOLVED_OPTIONS } from '../options/option-table';
import { sfsTracer, type SfsSpanAttributes } from '../tracing/sfs-tracer';
import { SfsCredentialsResolver, type SfsCredentials } from '../options/credentials-resolver';
import { SfsTokenApi } from './sfs-token.api';

interface CachedPlatformToken {
  readonly accessToken: string;
  readonly expiresAtMs: number;
  /** When to mint the next one: `min(60 s, lifetime / 10)` before expiry. */
  readonly renewAtMs: number;
}

/** One SFS account's platform token; keyed by a hash, so no secret is ever a map key. */
interface AccountEntry {
  readonly credentials: SfsCredentials;
  /** Short hash of the credentials, safe to log. */
  readonly fingerprint: string;
  current?: CachedPlatformToken;
  minting?: Promise<CachedPlatformToken>;
}

const MAX_RENEW_MARGIN_MS = 60_000;

/** Attributes of span `sfs-auth.platform-token`: what it does, for which tenant (never the account). */
function platformSpan(action: 'create' | 'revoke', tenantId?: string): SfsSpanAttributes {
  return { 'sfs_auth.platform_token.action': action, 'sfs_auth.tenant_id': tenantId };
}

/**
 * Holds one platform token per SFS account (tenants resolve to accounts through the
 * {@link SfsCredentialsResolver}): minted on first use, once however many callers ask at the same
 * moment, renewed shortly before `expires_in` runs out, replaced once when SFS rejects it, and
 * revoked at application shutdown within `shutdownTimeoutMs`. Each mint and revocation is a span
 * `sfs-auth.platform-token` (a mint in the span of the operation that needed it).
 *
 * @internal
 */
@Injectable()
export class SfsPlatformTokenProvider implements OnApplicationShutdown {
  private readonly logger = new Logger(SfsPlatformTokenProvider.name);
  private readonly accounts = new Map<string, AccountEntry>();
  private stopping = false;
  private readonly tracer = sfsTracer();

  constructor(
    @Inject(SfsTokenApi) private readonly api: SfsTokenApi,
    @Inject(SfsCredentialsResolver) private readonly resolver: SfsCredentialsResolver,
    @Inject(SfsClock) private readonly clock: SfsClock,
    @Inject(SFS_AUTH_RESOLVED_OPTIONS)
    private readonly options: Pick<SfsAuthResolvedOptions, 'shutdownTimeoutMs'>,
  ) {}

  /** A platform token for `tenantId`'s account, valid for at least the renewal margin. */
  async getPlatformToken(tenantId: string): Promise<string> {
    const account = await this.accountFor(tenantId);
    return (await this.current(account, tenantId)).accessToken;
  }

  /**
   * Runs `fn` with a platform token. When `fn` fails with `SFS_TOKEN_REJECTED`, the token is
   * dropped (if still cached), a new one minted once and `fn` run once more; a second rejection
   * propagates. Fails with `SHUTTING_DOWN` once shutdown has begun.
   */
  async withPlatformToken<T>(
    tenantId: string,
    fn: (platformToken: string) => Promise<T>,
  ): Promise<T> {
    const account = await this.accountFor(tenantId);
    const first = await this.current(account, tenantId);
    try {
      return await fn(first.accessToken);
    } catch (error) {
      if (!isTokenRejected(error)) throw error;
      if (this.drop(account, first)) {
        this.logger.warn(
          `SFS rejected the platform token of tenant ${tenantId}; minting a new one`,
        );
      }
    }
    const second = await this.current(account, tenantId);
    try {
      return await fn(second.accessToken);
    } catch (error) {
      if (isTokenRejected(error)) this.drop(account, second);
      throw error;
    }
  }

  /** Revokes every cached platform token at SFS, waiting at most `shutdownTimeoutMs`; never throws. */
  async onApplicationShutdown(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.shutdownTimeoutMs);
    });
    const revoked = Promise.allSettled(
      [...this.accounts.values()].map((account) => this.revoke(account, abort.signal)),
    ).then(() => 'done' as const);
    const outcome = await Promise.race([revoked, deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      abort.abort(new SfsApiError('SHUTTING_DOWN', 'platform-token revocation cut short', false));
      this.logger.warn(
        `platform-token revocation did not finish within ${this.options.shutdownTimeoutMs} ms; ` +
          'the remaining tokens expire on their own',
      );
    }
  }

  private async accountFor(tenantId: string): Promise<AccountEntry> {
    this.assertRunning(tenantId);
    const credentials = await this.resolver.resolve(tenantId);
    const key = createHash('sha256')
      .update(`${credentials.apiKey}\u0000${credentials.secret}`)
      .digest('hex');
    let account = this.accounts.get(key);
    if (!account) {
      account = { credentials, fingerprint: key.slice(0, 12) };
      this.accounts.set(key, account);
    }
    return account;
  }

  private current(account: AccountEntry, tenantId: string): Promise<CachedPlatformToken> {
    this.assertRunning(tenantId);
    const cached = account.current;
    if (cached && this.clock.now() < cached.renewAtMs) return Promise.resolve(cached);
    account.minting ??= this.mint(account, tenantId).finally(() => {
      account.minting = undefined;
    });
    return account.minting;
  }

  private async mint(account: AccountEntry, tenantId: string): Promise<CachedPlatformToken> {
    const issuedAt = this.clock.now();
    const issued = await this.tracer.operation(
      'platform-token',
      platformSpan('create', tenantId),
      () => this.api.createPlatformToken(account.credentials, { tenantId }),
      { describe: () => ({ outcome: 'created' }) },
    );
    const lifetimeMs = issued.expiresInSeconds * 1000;
    const token: CachedPlatformToken = {
      accessToken: issued.accessToken,
      expiresAtMs: issuedAt + lifetimeMs,
      renewAtMs: issuedAt + lifetimeMs - Math.min(MAX_RENEW_MARGIN_MS, lifetimeMs / 10),
    };
    account.current = token;
    this.logger.debug(
      `minted a platform token for account ${account.fingerprint} (tenant ${tenantId}), ` +
        `expires in ${issued.expiresInSeconds} s`,
    );
    return token;
  }

  /** Forgets `token` if it is still the cached one; says whether it was. */
  private drop(account: AccountEntry, token: CachedPlatformToken): boolean {
    if (account.current !== token) return false;
    account.current = undefined;
    return true;
  }

  private async revoke(account: AccountEntry, signal: AbortSignal): Promise<void> {
    const tokens = new Set<CachedPlatformToken>();
    if (account.current) tokens.add(account.current);
    // A mint still in flight yields a live token too: wait for it (the deadline bounds the wait).
    if (account.minting) await account.minting.then((t) => tokens.add(t)).catch(() => undefined);
    account.current = undefined;
    for (const token of tokens) {
      if (this.clock.now() >= token.expiresAtMs) continue;
      try {
        await this.tracer.operation(
          'platform-token',
          platformSpan('revoke'),
          () => this.api.revokePlatformToken(token.accessToken, { signal }),
          { describe: () => ({ outcome: 'revoked' }) },
        );
        this.logger.debug(`revoked the platform token of account ${account.fingerprint}`);
      } catch (error) {
        const reason = error instanceof SfsAuthError ? `${error.code}: ${error.message}` : 'error';
        this.logger.warn(
          `could not revoke the platform token of account ${account.fingerprint} (${reason})`,
        );
      }
    }
  }

  private assertRunning(tenantId: string): void {
    if (this.stopping) {
      throw new SfsApiError(
        'SHUTTING_DOWN',
        `SFS auth is shutting down (tenant ${tenantId})`,
        false,
        {
          tenantId,
        },
      );
    }
  }
}

function isTokenRejected(error: unknown): boolean {
  return error instanceof SfsAuthError && error.code === 'SFS_TOKEN_REJECTED';
}
