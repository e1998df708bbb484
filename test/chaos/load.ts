import { Agent } from 'undici';
import type { DemoCluster, DemoInstance } from './cluster';
import type { ChaosLedger } from './ledger';
import type { ChaosProfile } from './profile';
import { mapLimit, sleep } from './timing';

/** A token key of the load: (tenant, client, user). */
export interface ChaosKey {
  readonly tenantId: string;
  readonly clientKey: string;
  readonly userId: string;
}

/** Every key of a profile: tenants `t01`…, clients `c1`…, users `u001`… (each user on every client). */
export function chaosKeys(profile: ChaosProfile): ChaosKey[] {
  const keys: ChaosKey[] = [];
  for (let t = 1; t <= profile.tenants; t++) {
    const tenantId = `t${String(t).padStart(2, '0')}`;
    for (let u = 1; u <= profile.usersPerTenant; u++) {
      const userId = `u${String(u).padStart(3, '0')}`;
      for (let c = 1; c <= profile.clientsPerTenant; c++) {
        keys.push({ tenantId, clientKey: `c${c}`, userId });
      }
    }
  }
  return keys;
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/**
 * The load: loops that ask a random instance for a random key's token (`POST /demo/login`) and
 * use it at once on the sandbox's protected call, plus logout storms. A refused connection (an
 * instance being killed) is retried once on the next instance, as a load balancer would.
 * Everything seen goes to the {@link ChaosLedger}; nothing is judged here.
 */
export class LoadGenerator {
  private stopped = false;
  private next = 0;
  private readonly sfs: Agent;

  constructor(
    private readonly profile: ChaosProfile,
    private readonly keys: readonly ChaosKey[],
    private readonly cluster: DemoCluster,
    private readonly ledger: ChaosLedger,
    private readonly sandbox: { url: string; caPem: string },
  ) {
    this.sfs = new Agent({ connect: { ca: sandbox.caPem }, connections: 32 });
  }

  /** Gets every key's token once (up to 5 tries each): every key has a live token afterwards. */
  async warmUp(concurrency: number): Promise<number> {
    let missing = 0;
    await mapLimit(this.keys, concurrency, async (key) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        if (await this.serveAndUse(key)) return;
      }
      missing++;
    });
    return missing;
  }

  /** Runs the load loops until {@link stop}; resolves when every loop has ended. */
  async run(): Promise<void> {
    const loops = Array.from({ length: this.profile.loadLoops }, async () => {
      while (!this.stopped) {
        const key = this.keys[Math.floor(Math.random() * this.keys.length)];
        await this.serveAndUse(key);
        await sleep(this.profile.thinkMs);
      }
    });
    await Promise.all(loops);
  }

  /** Asks the loops to end after their current request. */
  stop(): void {
    this.stopped = true;
  }

  /** Logs out `share` of all users at once (each through a random instance); returns them. */
  async logoutStorm(share: number): Promise<ChaosKey[]> {
    const users = new Map<string, ChaosKey>();
    for (const key of this.keys) users.set(`${key.tenantId}/${key.userId}`, key);
    const chosen = [...users.values()].filter(() => Math.random() < share);
    await mapLimit(chosen, 32, (key) => this.logout(key.tenantId, key.userId));
    return chosen;
  }

  /**
   * Asks every live instance for every key of these users (a logout must hold on all of them,
   * whatever each one had in its cache).
   */
  async probe(users: readonly ChaosKey[]): Promise<void> {
    const subjects = new Set(users.map((u) => `${u.tenantId}/${u.userId}`));
    const keys = this.keys.filter((k) => subjects.has(`${k.tenantId}/${k.userId}`));
    const pairs = this.cluster.live().flatMap((instance) => keys.map((key) => ({ key, instance })));
    await mapLimit(pairs, 16, async ({ key, instance }) => {
      await this.serveAndUse(key, instance);
    });
  }

  async close(): Promise<void> {
    await this.sfs.close();
  }

  private async logout(tenantId: string, userId: string): Promise<void> {
    const startedAt = Date.now();
    const answer = await this.post('/demo/logout', { tenantId, userId });
    this.ledger.addLogout({
      tenantId,
      userId,
      instance: answer.instance,
      startedAt,
      endedAt: Date.now(),
      status: answer.status,
    });
  }

  /** One token request and, when it succeeds, one use of the token. True when a token came back. */
  private async serveAndUse(key: ChaosKey, via?: DemoInstance): Promise<boolean> {
    const startedAt = Date.now();
    const answer = await this.post('/demo/login', key, via);
    const receivedAt = Date.now();
    const body = answer.body as { tokenId?: string; accessToken?: string } | undefined;
    if (answer.status !== 200 || !body?.accessToken || !body.tokenId) {
      this.ledger.addFailure(answer.status === 0 ? 'no answer' : String(answer.status));
      return false;
    }
    const record = {
      ...key,
      instance: answer.instance,
      tokenId: body.tokenId,
      token: body.accessToken,
      startedAt,
      receivedAt,
    };
    this.ledger.serves.push(record);
    const usedAt = Date.now();
    const use = await fetch(`${this.sandbox.url}/api/contract`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, Authorization: `Bearer ${body.accessToken}` },
      body: JSON.stringify({ data: { action: 'list' } }),
      dispatcher: this.sfs,
      signal: AbortSignal.timeout(10_000),
    } as RequestInit).then(
      async (response) => (await response.arrayBuffer(), response.status),
      () => 0,
    );
    Object.assign(record, { useStatus: use, usedAt, usedDoneAt: Date.now() });
    return true;
  }

  /**
   * POST to `via`, else to the next live instance; a refused connection is tried once more on
   * another one.
   */
  private async post(
    path: string,
    payload: unknown,
    via?: DemoInstance,
  ): Promise<{ status: number; body: unknown; instance: string }> {
    let last = { status: 0, body: undefined as unknown, instance: '-' };
    for (let attempt = 0; attempt < 2; attempt++) {
      const instance = attempt === 0 && via ? via : this.pick();
      if (!instance) return last;
      try {
        const response = await fetch(`${instance.url}${path}`, {
          method: 'POST',
          headers: JSON_HEADERS,
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(20_000),
        });
        const text = await response.text();
        return { status: response.status, body: parse(text), instance: instance.name };
      } catch {
        last = { status: 0, body: undefined, instance: instance.name };
        if (attempt === 0) this.ledger.failovers++;
      }
    }
    return last;
  }

  private pick(): DemoInstance | undefined {
    const live = this.cluster.live();
    if (live.length === 0) return undefined;
    this.next = (this.next + 1) % live.length;
    return live[this.next];
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
