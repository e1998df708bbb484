import { randomBytes } from 'node:crypto';
import { getEventListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import { resolveSfsAuthOptions } from '../options/resolve-sfs-auth-options';
import { SfsHttpTransport, sfsExchange } from './sfs-http.transport';
import { illTyped } from '../../../test/support/ill-typed';

describe('SfsHttpTransport', () => {
  const resolved = resolveSfsAuthOptions({
    apiKey: 'k',
    secret: 's',
    encryptionKeys: `k1:${randomBytes(32).toString('base64')}`,
  });

  it('refuses to send anything to a non-https URL, even if options were built by hand', async () => {
    const slept: number[] = [];
    const transport = new SfsHttpTransport(
      { ...resolved, baseUrl: 'http://127.0.0.1:9' },
      async (ms) => void slept.push(ms),
    );
    const error = await transport.post('/api/token', { data: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', retryable: false });
    expect((error as Error).message).toContain('https://');
    expect(slept).toEqual([]);
  });
});

describe('sfsExchange', () => {
  const url = new URL('https://sfs.test/api/token');
  /** A dispatcher that answers 201 `{}` (or waits for the abort), and keeps the signal it got. */
  const dispatcher = (answer: 'now' | 'never') => {
    const seen: { signal?: AbortSignal } = {};
    const request = (options: { signal: AbortSignal }) => {
      seen.signal = options.signal;
      if (answer === 'never') {
        return new Promise((_, reject) =>
          options.signal.addEventListener('abort', () => reject(options.signal.reason)),
        );
      }
      return Promise.resolve({
        statusCode: 201,
        headers: { 'retry-after': ['7', '8'] },
        body: { text: async () => '{"ok":true}' },
      });
    };
    return { seen, dispatcher: illTyped<Dispatcher>({ request }) };
  };
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('reads the answer, then lets go of its timer and of the caller signal', async () => {
    const { seen, dispatcher: d } = dispatcher('now');
    const caller = new AbortController();
    const answer = await sfsExchange(d, url, {}, {}, { timeoutMs: 20, signal: caller.signal });
    expect(answer).toEqual({ status: 201, retryAfter: '7', body: { ok: true } });
    expect(getEventListeners(caller.signal, 'abort')).toEqual([]);
    await wait(60);
    // The call's own signal never fires after the call: its timer was cleared.
    expect(seen.signal?.aborted).toBe(false);
  });

  it('aborts with a TimeoutError after timeoutMs, or with the reason of the caller', async () => {
    const timedOut = await sfsExchange(
      dispatcher('never').dispatcher,
      url,
      {},
      {},
      {
        timeoutMs: 20,
      },
    ).catch((e: unknown) => e);
    expect(timedOut).toMatchObject({ name: 'TimeoutError' });
    const caller = new AbortController();
    const reason = new Error('shutting down');
    const call = sfsExchange(
      dispatcher('never').dispatcher,
      url,
      {},
      {},
      {
        timeoutMs: 10_000,
        signal: caller.signal,
      },
    );
    caller.abort(reason);
    await expect(call).rejects.toBe(reason);
    const early = new AbortController();
    early.abort(reason);
    await expect(
      sfsExchange(
        dispatcher('never').dispatcher,
        url,
        {},
        {},
        {
          timeoutMs: 10_000,
          signal: early.signal,
        },
      ),
    ).rejects.toBe(reason);
  });
});
