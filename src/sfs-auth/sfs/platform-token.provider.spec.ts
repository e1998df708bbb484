import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { SfsManualClock } from '../clock/clock';
import { SfsApiError } from '../errors/sfs-auth.error';
import { resolveSfsAuthOptions } from '../options/resolve-sfs-auth-options';
import type { SfsCredentials, SfsCredentialsResolver } from '../options/credentials-resolver';
import { SfsPlatformTokenProvider } from './platform-token.provider';
import type { SfsTokenApi, SfsTokenCallContext } from './sfs-token.api';
import type { SfsIssuedToken } from './sfs-wire';

/** A fake of the SfsTokenApi port that records calls and answers from a script. */
class FakeTokenApi implements SfsTokenApi {
  minted: string[] = [];
  revoked: string[] = [];
  lifetimeSeconds = 1800;
  mintGate?: Promise<void>;
  mintFailure?: Error;
  revokeHangs = false;

  async createPlatformToken(credentials: SfsCredentials): Promise<SfsIssuedToken> {
    const token = `pt-${credentials.apiKey}-${this.minted.length + 1}`;
    this.minted.push(token);
    await this.mintGate;
    if (this.mintFailure) throw this.mintFailure;
    return { accessToken: token, tokenType: 'Bearer', expiresInSeconds: this.lifetimeSeconds };
  }
  async revokePlatformToken(token: string, context?: SfsTokenCallContext): Promise<void> {
    if (this.revokeHangs) {
      await new Promise((_, reject) => context?.signal?.addEventListener('abort', reject));
    }
    this.revoked.push(token);
  }
  createClientToken(): Promise<SfsIssuedToken> {
    throw new Error('not used');
  }
  revokeClientToken(): Promise<void> {
    throw new Error('not used');
  }
}

const rejected = () => new SfsApiError('SFS_TOKEN_REJECTED', 'rejected', false, { status: 401 });

function setup(resolver?: SfsCredentialsResolver) {
  const api = new FakeTokenApi();
  const clock = new SfsManualClock();
  const options = resolveSfsAuthOptions({
    apiKey: 'k',
    secret: 's',
    encryptionKeys: `k1:${randomBytes(32).toString('base64')}`,
    shutdownTimeoutMs: 50,
  });
  const byTenant = resolver ?? {
    resolve: (tenantId: string) => ({ apiKey: tenantId.split('/')[0], secret: 'secret' }),
  };
  const provider = new SfsPlatformTokenProvider(api, byTenant, clock, options);
  return { api, clock, provider };
}

describe('SfsPlatformTokenProvider', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('mints once for 100 concurrent callers and reuses the token', async () => {
    const { api, provider } = setup();
    let open!: () => void;
    api.mintGate = new Promise((resolve) => (open = resolve));
    const calls = Array.from({ length: 100 }, () => provider.getPlatformToken('a/t1'));
    open();
    expect(new Set(await Promise.all(calls))).toEqual(new Set(['pt-a-1']));
    expect(await provider.getPlatformToken('a/t2')).toBe('pt-a-1'); // same account, other tenant
    expect(await provider.getPlatformToken('b/t3')).toBe('pt-b-2'); // other account
    expect(api.minted).toEqual(['pt-a-1', 'pt-b-2']);
  });

  it('shares one failed mint among concurrent callers, then tries again', async () => {
    const { api, provider } = setup();
    api.mintFailure = new SfsApiError('SFS_CREDENTIALS_REJECTED', 'no', false);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => provider.getPlatformToken('a/t')),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(api.minted).toHaveLength(1);
    api.mintFailure = undefined;
    expect(await provider.getPlatformToken('a/t')).toBe('pt-a-2');
  });

  it.each([
    [1800, 60_000],
    [100, 10_000],
  ])('renews a %d s token %d ms before expiry', async (lifetime, margin) => {
    const { api, clock, provider } = setup();
    api.lifetimeSeconds = lifetime;
    await provider.getPlatformToken('a/t');
    clock.advance(lifetime * 1000 - margin - 1);
    expect(await provider.getPlatformToken('a/t')).toBe('pt-a-1');
    clock.advance(1);
    expect(await provider.getPlatformToken('a/t')).toBe('pt-a-2');
  });

  it('replaces a rejected token once and runs fn again', async () => {
    const { api, provider } = setup();
    const seen: string[] = [];
    const result = await provider.withPlatformToken('a/t', async (token) => {
      seen.push(token);
      if (seen.length === 1) throw rejected();
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(seen).toEqual(['pt-a-1', 'pt-a-2']);
    expect(api.minted).toHaveLength(2);
  });

  it('re-mints once when many concurrent callers see the same rejection', async () => {
    const { api, provider } = setup();
    await provider.getPlatformToken('a/t');
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        provider.withPlatformToken('a/t', async (token) => {
          if (token === 'pt-a-1') throw rejected();
          return token;
        }),
      ),
    );
    expect(new Set(results)).toEqual(new Set(['pt-a-2']));
    expect(api.minted).toHaveLength(2);
  });

  it('propagates a second rejection and does not keep that token', async () => {
    const { api, provider } = setup();
    await expect(
      provider.withPlatformToken('a/t', () => Promise.reject(rejected())),
    ).rejects.toMatchObject({ code: 'SFS_TOKEN_REJECTED' });
    expect(api.minted).toHaveLength(2);
    expect(await provider.getPlatformToken('a/t')).toBe('pt-a-3');
  });

  it('does not retry other failures', async () => {
    const { api, provider } = setup();
    const failure = new SfsApiError('SFS_REQUEST_REJECTED', 'bad', false);
    await expect(provider.withPlatformToken('a/t', () => Promise.reject(failure))).rejects.toBe(
      failure,
    );
    expect(api.minted).toHaveLength(1);
  });

  it('revokes live tokens at shutdown, then refuses work', async () => {
    const { api, clock, provider } = setup();
    api.lifetimeSeconds = 100;
    await provider.getPlatformToken('a/t');
    await provider.getPlatformToken('b/t');
    clock.advance(95_000); // a/b renew, old ones stay live until 100 s
    await provider.getPlatformToken('b/t');
    await provider.onApplicationShutdown();
    expect(api.revoked.sort()).toEqual(['pt-a-1', 'pt-b-3']);
    await expect(provider.getPlatformToken('a/t')).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
    await expect(provider.withPlatformToken('a/t', async () => 1)).rejects.toMatchObject({
      code: 'SHUTTING_DOWN',
    });
  });

  it('bounds shutdown by shutdownTimeoutMs when SFS hangs, without throwing', async () => {
    const { api, provider } = setup();
    await provider.getPlatformToken('a/t');
    api.revokeHangs = true;
    const started = Date.now();
    await expect(provider.onApplicationShutdown()).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(api.revoked).toEqual([]);
  });
});
