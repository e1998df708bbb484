import { SfsSandbox } from '../../../src/sandbox';
import { SfsManualClock } from '../../../src/sfs-auth/clock/clock';
import { SfsPlatformTokenProvider } from '../../../src/sfs-auth/sfs/platform-token.provider';
import {
  compileSfsModule,
  errorText,
  expectNoSecrets,
  failureOf,
  sandboxOptions,
  secretsOf,
} from './sfs-harness';

describe('SfsPlatformTokenProvider lifecycle against the sandbox', () => {
  it('renews before expiry as the clock moves (margin = min(60 s, lifetime / 10))', async () => {
    const clock = new SfsManualClock();
    const sandbox = await SfsSandbox.start({
      platformTokenLifetimeSeconds: 300,
      now: () => clock.now(),
    });
    const { moduleRef, logs } = await compileSfsModule(sandboxOptions(sandbox), clock);
    try {
      const provider = moduleRef.get(SfsPlatformTokenProvider);
      const first = await provider.getPlatformToken('t');
      clock.advance(269_999);
      expect(await provider.getPlatformToken('t')).toBe(first);
      clock.advance(1);
      const second = await provider.getPlatformToken('t');
      expect(second).not.toBe(first);
      expect(sandbox.calls({ kind: 'platform.create' })).toHaveLength(2);
      expect(sandbox.isTokenActive(first)).toBe(true); // renewed while still valid
      clock.advance(30_000);
      expect(sandbox.isTokenActive(first)).toBe(false);
      expect(await provider.getPlatformToken('t')).toBe(second);
      expect(sandbox.isTokenActive(second)).toBe(true);
      await moduleRef.close();
      expectNoSecrets(logs.lines, secretsOf(sandbox));
    } finally {
      await moduleRef.close();
      await sandbox.close();
    }
  });

  it('revokes the platform token at shutdown and refuses work afterwards', async () => {
    const sandbox = await SfsSandbox.start();
    const { moduleRef, logs } = await compileSfsModule(sandboxOptions(sandbox));
    try {
      const provider = moduleRef.get(SfsPlatformTokenProvider);
      const token = await provider.getPlatformToken('t');
      await moduleRef.close();
      const [revoke] = sandbox.calls({ kind: 'platform.revoke', reveal: true });
      expect(revoke).toMatchObject({ status: 201, usedToken: token });
      expect(sandbox.isTokenActive(token)).toBe(false);
      const error = await failureOf(provider.withPlatformToken('t', async () => 'never'));
      expect(error).toMatchObject({ code: 'SHUTTING_DOWN', retryable: false });
      expectNoSecrets([...logs.lines, errorText(error)], secretsOf(sandbox));
    } finally {
      await sandbox.close();
    }
  });

  it('bounds shutdown by shutdownTimeoutMs when SFS hangs', async () => {
    const sandbox = await SfsSandbox.start();
    const options = sandboxOptions(sandbox, { shutdownTimeoutMs: 300, requestTimeoutMs: 10_000 });
    const { moduleRef, logs } = await compileSfsModule(options);
    try {
      const token = await moduleRef.get(SfsPlatformTokenProvider).getPlatformToken('t');
      sandbox.enqueueFaults({ hang: true, kind: 'platform.revoke' });
      const started = Date.now();
      await expect(moduleRef.close()).resolves.toBeUndefined();
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(300 + 1000);
      expect(sandbox.calls({ kind: 'platform.revoke' })).toHaveLength(1);
      expect(sandbox.isTokenActive(token)).toBe(true);
      expect(logs.lines.some((l) => l.startsWith('warn') && l.includes('300 ms'))).toBe(true);
      expectNoSecrets(logs.lines, secretsOf(sandbox));
    } finally {
      await sandbox.close();
    }
  });
});
